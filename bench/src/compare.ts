/**
 * pewit vs raw pg vs Kysely vs Drizzle on the same schema (users 10k, posts
 * 100k), W1–W8 interleaved over ROUNDS rounds, plus pewit's compile time for
 * a five-join query. Writes the comparison section of docs/benchmarks.md and
 * docs/benchmarks.svg. Runs against DATABASE_URL or a throwaway embedded server.
 *
 *   npm run bench                           # full scale (a few minutes)
 *   BENCH_SCALE=0.1 npm run bench           # quick run, one tenth of the operations
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { measureCompileTime } from './compare/compile-time.js';
import { POSTS, ROUNDS, SCALE } from './compare/config.js';
import { machineFacts } from './compare/machine.js';
import { compileLines, markdownTable, PREPARED, ratio, rssLine, type WorkloadResult } from './compare/report.js';
import { createSchema, dropSchema, serverVersion } from './compare/schema.js';
import { ratioChart } from './compare/svg.js';
import type { Target } from './compare/target.js';
import { drizzleTarget } from './compare/targets/drizzle.js';
import { kyselyTarget } from './compare/targets/kysely.js';
import { pewitTarget } from './compare/targets/pewit.js';
import { rawPgTarget } from './compare/targets/raw-pg.js';
import { measureWarnModeCost, warnModeLines } from './compare/warn-mode-cost.js';
import { runWorkload, workloads } from './compare/workloads.js';
import { docsFolder, FIGURES_PROOF, writeReportSection } from './report-section.js';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const started = performance.now();
const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

const server = process.env.DATABASE_URL ? undefined : await startEmbeddedServer();
const url = process.env.DATABASE_URL ?? (server as { url: string }).url;

try {
  log(`seeding (scale ${SCALE}, ${ROUNDS} rounds)`);
  await createSchema(url);
  const version = await serverVersion(url);
  const facts = machineFacts(version, server ? 'embedded' : 'DATABASE_URL');
  log(facts);

  const pewit = pewitTarget(url);
  const targets: Target[] = [rawPgTarget(url), rawPgTarget(url, { prepared: true }), pewit, kyselyTarget(url), drizzleTarget(url)];
  const names = targets.map((t) => t.name);
  const results = workloads.map((w) => ({ ...w, unit: 'ops', perTarget: new Map<string, number[]>(names.map((n) => [n, []])) }));

  // Warm-up, and a check that every target does the same work (same row counts).
  for (const w of workloads) {
    const sums = new Map<string, number>();
    for (const t of targets) sums.set(t.name, await runWorkload(w, t, Math.min(w.ops, w.concurrency > 1 ? 500 : 20)));
    if (new Set(sums.values()).size !== 1) throw new Error(`${w.id}: the targets disagree on the result: ${JSON.stringify([...sums])}`);
  }
  log('warm-up done; all targets agree');

  const streamers = ['raw pg', 'pewit', 'Kysely'];
  const w8Rates = new Map<string, number[]>(names.map((n) => [n, []]));
  const w8Rss = new Map<string, number[]>(streamers.map((n) => [n, []]));
  const w8: WorkloadResult = { id: 'W8', title: 'stream 100,000 posts through iterator()', ops: POSTS, unit: 'rows', perTarget: w8Rates, rssMb: w8Rss };

  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first so no target always runs on a cold or a hot cache.
    const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
    for (const result of results) {
      for (const t of order) {
        const start = performance.now();
        await runWorkload(result, t);
        result.perTarget.get(t.name)?.push(result.ops / ((performance.now() - start) / 1000));
      }
    }
    for (const name of streamers.map((_, i) => streamers[(i + round) % streamers.length] as string)) {
      const { stdout } = await run(process.execPath, [join(here, 'compare', 'stream-child.js'), name, url]);
      const r = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { rows: number; ms: number; baselineMb: number; peakMb: number };
      if (r.rows !== POSTS) throw new Error(`W8 ${name}: streamed ${r.rows} rows, expected ${POSTS}`);
      w8Rates.get(name)?.push(r.rows / (r.ms / 1000));
      w8Rss.get(name)?.push(r.peakMb - r.baselineMb);
    }
    log(`round ${round + 1}/${ROUNDS} done`);
  }
  const all: WorkloadResult[] = [...results, w8];
  const compile = measureCompileTime(pewit.db, ROUNDS);
  for (const t of targets) await t.close();
  const warnMode = await measureWarnModeCost(ROUNDS);
  log('warn-mode cost measured');
  await dropSchema(url);

  const table = markdownTable(all, names);
  console.log(`\n${table}\n\n${rssLine(w8)}\n\n${compileLines(compile)}\n\n${warnModeLines(warnMode)}`);
  const section = [
    '## pewit vs raw pg, Kysely and Drizzle (`bench/src/compare.ts`)',
    '',
    FIGURES_PROOF,
    '',
    `Last run: ${new Date().toISOString().slice(0, 10)}, scale ${SCALE}, ${ROUNDS} rounds. ${facts}.`,
    '',
    'Throughput in operations per second (W8: rows per second), median over rounds with min–max, and',
    'each library’s median ÷ raw pg’s median in the same run (higher is better; the target for pewit is ≥ 1.00×), and',
    '÷ raw pg prepared: the same hand-written pg code with every statement named (prepared once per connection) and',
    'W5 as one array per column (`INSERT … SELECT FROM unnest(…)`), the fastest form of pg a user can write.',
    'All use a pool of 10 connections on the same server and tables; each round runs every workload on',
    'every target, rotating which target goes first. Drizzle has no streaming API on node-postgres, so W8 is n/a for it.',
    '',
    table,
    '',
    rssLine(w8),
    '',
    '![throughput ÷ raw pg](benchmarks.svg)',
    '',
    '### Compile time, five-join SELECT (pewit `.sql()`)',
    '',
    FIGURES_PROOF,
    '',
    compileLines(compile),
    '',
    '### Warn mode disabled vs absent (pewit only)',
    '',
    FIGURES_PROOF,
    '',
    'The same `getById` as W1, through all of pewit (build, compile, events, hydration) on a database whose transport',
    'answers at once, so the table shows what warn mode adds to pewit itself. Through a real server two connections of',
    'one run differ by more than this (which core the server process lands on), so a round trip would measure noise.',
    '',
    warnModeLines(warnMode),
    '',
    '<!-- proof: tests/src/warn-mode-reports.test.ts › never reports async evaluations -->',
  ].join('\n');
  await writeFile(join(docsFolder, 'benchmarks.svg'), ratioChart(all, names));
  await writeReportSection('compare', section);
  const misses = all.filter((w) => (ratio(w, 'pewit') ?? 0) < 1).map((w) => `${w.id} ${(ratio(w, 'pewit') as number).toFixed(2)}×`);
  const behindPrepared = all.filter((w) => (ratio(w, 'pewit', PREPARED) ?? 1) < 1).map((w) => `${w.id} ${(ratio(w, 'pewit', PREPARED) as number).toFixed(2)}×`);
  log(
    `wrote docs/benchmarks.md and docs/benchmarks.svg; pewit below raw pg on: ${misses.join(', ') || 'none'}; below raw pg prepared on: ${behindPrepared.join(', ') || 'none'}`,
  );
} finally {
  await server?.stop();
}
