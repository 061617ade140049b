/**
 * Blocking vs async latency, same process, same server, same queries.
 * Runs against DATABASE_URL, or a throwaway embedded PostgreSQL.
 *
 *   npm run bench                      # embedded server
 *   DATABASE_URL=postgres://… npm run bench
 *
 * Each case runs ROUNDS rounds; a round times OPS sequential evaluations on
 * each path (alternating which path goes first). Reported: the median over
 * rounds of the per-evaluation time, and blocking ÷ async.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { AutoField, BooleanField, DateTimeField, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { writeReportSection } from './report-section.js';
import { median, micros } from './stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TABLE_ROWS = 5_000;

const server = process.env.DATABASE_URL ? undefined : await startEmbeddedServer();
const url = process.env.DATABASE_URL ?? (server as { url: string }).url;
const db = new PostgresqlDatabase(url);

class BenchRow extends model(
  'pewit_bench_rows',
  { id: AutoField(), title: TextField(), score: IntegerField(), active: BooleanField(), createdAt: DateTimeField() },
  { database: db },
) {}

interface Case {
  readonly name: string;
  readonly ops: number;
  readonly async: (i: number) => PromiseLike<unknown>;
  readonly blocking: (i: number) => unknown;
}

const thousand = BenchRow.select().orderBy(BenchRow.id).limit(1_000);
const cases: Case[] = [
  {
    name: 'PK lookup (getById)',
    ops: 400,
    async: (i) => BenchRow.getById((i % TABLE_ROWS) + 1),
    blocking: (i) => BenchRow.getByIdSync((i % TABLE_ROWS) + 1),
  },
  {
    name: '1,000-row fetch (instances)',
    ops: 20,
    async: () => thousand,
    blocking: () => thousand.allSync(),
  },
  {
    name: '1,000-row fetch (tuples)',
    ops: 20,
    async: () => thousand.tuples(),
    blocking: () => thousand.tuples().allSync(),
  },
  {
    name: 'transport only (SELECT 1)',
    ops: 400,
    async: () => db.execute(sql`SELECT 1 AS one`),
    blocking: () => db.executeSync(sql`SELECT 1 AS one`),
  },
];

async function timeAsync(c: Case): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < c.ops; i++) await c.async(i);
  return (performance.now() - start) / c.ops;
}

function timeBlocking(c: Case): number {
  const start = performance.now();
  for (let i = 0; i < c.ops; i++) c.blocking(i);
  return (performance.now() - start) / c.ops;
}

try {
  db.dropTablesSync([BenchRow], { safe: true });
  db.createTablesSync([BenchRow]);
  await db.execute(
    sql`INSERT INTO pewit_bench_rows (title, score, active, created_at)
        SELECT 'row ' || g, g % 97, g % 2 = 0, now() - g * interval '1 minute' FROM generate_series(1, ${TABLE_ROWS}::int) AS g`,
  );
  const version = (await db.execute(sql`SELECT current_setting('server_version') AS v`)).rows[0]?.v;

  const lines = [
    `Last run: ${new Date().toISOString().slice(0, 10)}; node ${process.version}, PostgreSQL ${String(version)} (${server ? 'embedded' : 'DATABASE_URL'}), ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load average at start ${loadavg()[0]?.toFixed(1)}, ${ROUNDS} rounds.`,
    '',
    '| case | async (median) | blocking (median) | blocking ÷ async |',
    '|---|---:|---:|---:|',
  ];
  for (const c of cases) {
    // Warm up both paths: JIT, the worker thread and its connection, the server's plan cache.
    await timeAsync({ ...c, ops: Math.min(c.ops, 50) });
    timeBlocking({ ...c, ops: Math.min(c.ops, 50) });
    const asyncTimes: number[] = [];
    const blockingTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        asyncTimes.push(await timeAsync(c));
        blockingTimes.push(timeBlocking(c));
      } else {
        blockingTimes.push(timeBlocking(c));
        asyncTimes.push(await timeAsync(c));
      }
    }
    const a = median(asyncTimes);
    const b = median(blockingTimes);
    lines.push(`| ${c.name} | ${micros(a)} | ${micros(b)} | ${(b / a).toFixed(2)}× |`);
  }
  console.log(lines.join('\n'));
  await writeReportSection('blocking', lines.join('\n'));
  console.log('wrote the blocking vs async table into docs/benchmarks.md');
  await db.dropTables([BenchRow]);
} finally {
  await db.close();
  await server?.stop();
}
