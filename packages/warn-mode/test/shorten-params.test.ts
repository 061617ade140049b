import { describe, expect, it } from 'vitest';
import { formatParams, shortenParams } from '../src/shorten-params.js';

describe('shortenParams', () => {
  it('keeps small values and abbreviates long strings, byte arrays, long arrays and objects', () => {
    const date = new Date('2024-01-02T03:04:05Z');
    const params = shortenParams([
      1,
      'ada',
      null,
      true,
      5n,
      date,
      'y'.repeat(1000),
      Buffer.alloc(4096),
      Array.from({ length: 20 }, (_, i) => i),
      { tags: ['z'.repeat(500)] },
    ]);
    expect(params.slice(0, 6)).toEqual([1, 'ada', null, true, 5n, date]);
    expect(params[6]).toBe(`${'y'.repeat(48)}…(1000 chars)`);
    expect(String(params[7])).toBe('<Buffer 4096 bytes>');
    expect((params[8] as unknown[]).map(String)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '…(12 more of 20)']);
    expect(String(params[9])).toMatch(/^\{"tags":\["z+…\(\d+ chars\)$/);
    expect(String(params[9]).length).toBeLessThanOrEqual(64);
  });

  it('formats shortened parameters for a log line, quoting only real strings', () => {
    expect(formatParams(shortenParams([1, 'ada', Buffer.alloc(3), 2n]))).toBe('[1, "ada", <Buffer 3 bytes>, 2n]');
  });

  it('caps the number of parameters kept', () => {
    const params = shortenParams(Array.from({ length: 500 }, (_, i) => i));
    expect(params).toHaveLength(17);
    expect(String(params[16])).toBe('…(484 more of 500)');
  });
});
