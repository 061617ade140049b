import { describe, expect, it } from 'vitest';
import { packRows, unpackRows } from '../src/blocking-rows.js';

const roundTrip = (rows: (string | null)[][], width: number) => unpackRows(structuredClone(packRows(rows, width)));

describe('rows packed into strings for the blocking worker', () => {
  it('come back cell for cell: NULL, empty text, control characters, any Unicode', () => {
    const rows = [
      ['1', null, '', 'a\u0000b', '\uffff'],
      [null, null, null, null, null],
      ['', '', '', '', ''],
      ['😀 emoji', 'ünïcödé', '\ud800 lone surrogate', ':', '0'],
    ];
    expect(roundTrip(rows, 5)).toEqual(rows);
  });

  it('a cell of 65,534 characters or more keeps its length in decimal', () => {
    for (const length of [65_533, 65_534, 65_535, 200_000]) {
      const long = `${'x'.repeat(length - 1)}:`;
      expect(roundTrip([[long, 'after']], 2)).toEqual([[long, 'after']]);
    }
  });

  it('many rows split into chunks at row ends, so a kept cell holds a small chunk alive', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [String(i), `title ${i}`, i % 3 === 0 ? null : 'x'.repeat(i % 50)]);
    const packed = packRows(rows, 3);
    expect(packed.chunks.length).toBeGreaterThan(1);
    for (const chunk of packed.chunks) expect(chunk.length).toBeLessThan(70_000);
    expect(unpackRows(packed)).toEqual(rows);
  });

  it('rows without columns keep their count; no rows is no chunk', () => {
    expect(roundTrip([[], [], []], 0)).toEqual([[], [], []]);
    expect(packRows([], 4)).toEqual({ width: 4, count: 0, chunks: [] });
    expect(unpackRows(packRows([], 4))).toEqual([]);
  });
});
