import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../src/types/iso-timestamp.js';

describe('isoTimestamp', () => {
  it('is toISOString for every millisecond kind: epoch, before it, far years, negative years, day edges', () => {
    const edges = [
      0,
      -1,
      Date.UTC(2025, 0, 1),
      Date.UTC(2025, 0, 1) - 1,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1, 1, 2, 3, 4),
      Date.UTC(-5, 5, 5, 23, 59, 59, 999),
      8.64e15,
      -8.64e15,
    ];
    for (const t of edges) expect(isoTimestamp(new Date(t)), String(t)).toBe(new Date(t).toISOString());
  });

  it('is toISOString for 20,000 random instants, in runs that share a day and jumps that do not', () => {
    let t = Date.UTC(1990, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      t += i % 7 === 0 ? Math.floor(Math.random() * 1e11) - 5e10 : Math.floor(Math.random() * 5000);
      expect(isoTimestamp(new Date(t))).toBe(new Date(t).toISOString());
    }
  });
});
