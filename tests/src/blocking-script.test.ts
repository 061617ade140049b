import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();

/** Runs `node script url`; kills it after `limitMillis` so a process kept alive by the worker fails the test instead of hanging it. */
function runScript(script: string, url: string, limitMillis: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMillis);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('a synchronous script', () => {
  it('creates tables, inserts and queries at top level, then exits by itself', async () => {
    const result = await runScript('./fixtures/blocking-script.mjs', database.url(), 20_000);
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull(); // not killed: nothing kept the process alive
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['ann: first (3)', 'ben: second (5)', 'ann: third (10)', 'posts=3 best=third']);
  });
});
