import { rmSync } from 'node:fs';
import { killGroup } from './process-liveness.js';

/** A server this process started and has not stopped yet. */
export interface LiveServer {
  /** The postmaster's pid while it runs. */
  pid: number | undefined;
  /** Its temporary folder, removed at exit. */
  readonly workDir: string;
}

const live = new Set<LiveServer>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** At exit (also `process.exit()` and an uncaught error) no server of ours may outlive us. */
function killAll(): void {
  for (const server of live) {
    if (server.pid !== undefined) killGroup(server.pid, 'SIGKILL');
    try {
      rmSync(server.workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // The next start sweeps what is left (work-dir.ts).
    }
  }
  live.clear();
}

/**
 * Ctrl-C or `kill`: when nobody else listens for the signal (a listener of the application owns the shutdown
 * and stops the server itself), stop the servers and die of the signal as Node would have.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  uninstall();
  process.kill(process.pid, signal);
}

function uninstall(): void {
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Tracks `server` until {@link forget}; the exit and signal hooks exist only while some server is tracked. */
export function track(server: LiveServer): void {
  if (live.size === 0) {
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  live.add(server);
}

/** Stops tracking `server` (it was stopped and its folder removed). */
export function forget(server: LiveServer): void {
  live.delete(server);
  if (live.size === 0) uninstall();
}
