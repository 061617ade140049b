import { performance } from 'node:perf_hooks';
import { AutoField, type Database, ForeignKeyField, model, TextField } from '@pewit/core';
import { median } from '../stats.js';
import { scaled } from './config.js';

/** Six models in a chain (F → E → D → C → B → A) so one query has five joins. Never created: only compiled. */
function chainModels(db: Database) {
  const opts = { database: db };
  class A extends model('cmp_a', { id: AutoField(), label: TextField() }, opts) {}
  class B extends model('cmp_b', { id: AutoField(), a: ForeignKeyField(() => A), label: TextField() }, opts) {}
  class C extends model('cmp_c', { id: AutoField(), b: ForeignKeyField(() => B), label: TextField() }, opts) {}
  class D extends model('cmp_d', { id: AutoField(), c: ForeignKeyField(() => C), label: TextField() }, opts) {}
  class E extends model('cmp_e', { id: AutoField(), d: ForeignKeyField(() => D), label: TextField() }, opts) {}
  class F extends model('cmp_f', { id: AutoField(), e: ForeignKeyField(() => E), label: TextField() }, opts) {}
  return { A, B, C, D, E, F };
}

export interface CompileTimes {
  /** The very first build + `.sql()` of the shape in this process (one sample: JIT cold, nothing cached). */
  readonly firstMs: number;
  /** Median per-op time of building the query (no compile). */
  readonly buildMs: number;
  /** Median per-op time of the first `.sql()` of a freshly built query object (compiled; shared fragments cached). */
  readonly compileMs: number;
  /** Median per-op time of `.sql()` again on a query object already compiled (the cached SQL). */
  readonly cachedMs: number;
  readonly text: string;
}

/** Times compiling a five-join SELECT with pewit's `.sql()`. */
export function measureCompileTime(db: Database, rounds: number): CompileTimes {
  const { A, B, C, D, E, F } = chainModels(db);
  const build = (i: number) =>
    F.select(F, E, D, C, B, A)
      .join(E)
      .join(D)
      .join(C)
      .join(B)
      .join(A)
      .where(A.label.eq(`a${i}`), F.id.gt(i))
      .orderBy(F.id.desc())
      .limit(20);
  let start = performance.now();
  const { text } = build(0).sql();
  const firstMs = performance.now() - start;
  const ops = scaled(2_000, 50);
  const buildTimes: number[] = [];
  const compileTimes: number[] = [];
  const cachedTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    start = performance.now();
    const built = Array.from({ length: ops }, (_, i) => build(i));
    buildTimes.push((performance.now() - start) / ops);
    start = performance.now();
    for (const query of built) query.sql();
    compileTimes.push((performance.now() - start) / ops);
    start = performance.now();
    for (const query of built) query.sql();
    cachedTimes.push((performance.now() - start) / ops);
  }
  return { firstMs, buildMs: median(buildTimes), compileMs: median(compileTimes), cachedMs: median(cachedTimes), text };
}
