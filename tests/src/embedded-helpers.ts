import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's built starter, as a module URL for fixtures/start-server.mjs. */
export const repoStarter = new URL('../../test-support/dist/embedded-server.js', import.meta.url).href;
const fixture = fileURLToPath(new URL('fixtures/start-server.mjs', import.meta.url));

/** A fresh folder other users may enter (the server's user must reach its work folder inside). */
export function openTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Pids of processes whose command line mentions `path` (a server's data directory lies under it). */
export function processesUnder(path: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(path) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** What is left under `root` after a run: its entries and the processes running from it. */
export function leftovers(root: string): { entries: string[]; processes: number[] } {
  return { entries: readdirSync(root), processes: processesUnder(root) };
}

/** A starter process (fixtures/start-server.mjs) and the line it printed. */
export interface Starter {
  readonly child: ChildProcessWithoutNullStreams;
  readonly started: { url?: string; pid?: number; workDir?: string; binDir?: string; error?: string };
}

/** Runs fixtures/start-server.mjs with the starter module `starterUrl` and `options`; resolves once it printed. */
export function runStarter(starterUrl: string, options: object, cwd?: string): Promise<Starter> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, starterUrl, JSON.stringify(options)], { cwd, stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, started: JSON.parse(line) });
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`starter ended (${code}) before printing: ${out}${err}`)));
  });
}

/** Ends a starter by closing its stdin (it stops its server) and waits for it to exit. */
export function endStarter(starter: Starter): Promise<number | null> {
  return new Promise((resolve) => {
    if (starter.child.exitCode !== null || starter.child.signalCode !== null) return resolve(starter.child.exitCode);
    starter.child.removeAllListeners('close');
    starter.child.on('close', (code) => resolve(code));
    starter.child.stdin.end();
  });
}

/** Removes a test's folder. */
export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
