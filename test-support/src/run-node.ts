import { spawn } from 'node:child_process';

/** How a child Node process ended and what it printed. */
export interface NodeRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node ...args` and collects its output. The process is killed after
 * `limitMillis`, so a process that never exits (say, kept alive by a worker)
 * fails its test instead of stalling the suite.
 *
 * @example const run = await runNode(['examples/quickstart/dist/main.js'], { cwd: repoRoot, env: { DATABASE_URL: url } });
 */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; limitMillis?: number } = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.limitMillis ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
