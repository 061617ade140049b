import { fileURLToPath } from 'node:url';
import { runNode, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();

describe('a synchronous script', () => {
  it('creates tables, inserts and queries at top level, then exits by itself', async () => {
    const result = await runNode([fileURLToPath(new URL('./fixtures/blocking-script.mjs', import.meta.url)), database.url()], { limitMillis: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull(); // not killed: nothing kept the process alive
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['ann: first (3)', 'ben: second (5)', 'ann: third (10)', 'posts=3 best=third']);
  });
});
