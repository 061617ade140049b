// Measures what warn mode costs when it is not listening. Run after building:
//   npx tsc -p packages/query && npx tsc -p packages/core && npx tsc -p packages/warn-mode
//   node packages/warn-mode/bench/zero-cost.mjs
//
// A fake in-memory database isolates core's evaluation choke point from any
// network time, so the numbers show the listener check itself.
import { performance } from 'node:perf_hooks';
import { Database } from '@pewit/core';
import { enableWarnMode } from '@pewit/warn-mode';

const RESULT = Object.freeze({ command: 'SELECT', rowCount: 1, fields: [{ name: 'one', typeId: 23 }], rows: [['1']] });
const STATEMENT = Object.freeze({ text: 'SELECT 1 AS one', values: [] });
const WHAT = Object.freeze({ trigger: 'await', target: 'bench' });
const BLOCKING_WHAT = Object.freeze({ trigger: 'allSync', target: 'bench', alternative: 'await query' });

class MemoryDatabase extends Database {
  connection = { query: () => Promise.resolve(RESULT) };
  acquire() {
    return Promise.resolve(this.connection);
  }
  release() {}
  sendBlocking() {
    return RESULT;
  }
  async shutdown() {}
}

function* program() {
  const raw = yield STATEMENT;
  return raw.rows.length;
}

const silent = { warn() {} };
const databases = {
  'never enabled': new MemoryDatabase(),
  'enabled, then disabled': (() => {
    const db = new MemoryDatabase();
    enableWarnMode(db, { logger: silent }).disable();
    return db;
  })(),
  'enabled (for comparison)': (() => {
    const db = new MemoryDatabase();
    enableWarnMode(db, { logger: silent, nPlusOneThreshold: 1e9 });
    return db;
  })(),
};

const N = 200_000;
const ROUNDS = 7;

async function timeAsync(db) {
  const start = performance.now();
  for (let i = 0; i < N; i++) await db.evaluate(program(), WHAT);
  return ((performance.now() - start) * 1e6) / N;
}

function timeBlocking(db) {
  const start = performance.now();
  for (let i = 0; i < N / 10; i++) db.evaluateSync(program(), BLOCKING_WHAT);
  return ((performance.now() - start) * 1e6) / (N / 10);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, run) {
  const samples = Object.fromEntries(Object.keys(databases).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Interleave the variants so drift (JIT, GC, CPU clock) hits them alike.
    for (const [name, db] of Object.entries(databases)) samples[name].push(await run(db));
  }
  console.log(`\n${label} (median of ${ROUNDS} rounds, ns per evaluation)`);
  for (const [name, xs] of Object.entries(samples)) console.log(`  ${name.padEnd(26)} ${median(xs).toFixed(0).padStart(7)} ns`);
}

await timeAsync(databases['never enabled']); // warm-up
await measure('async evaluations', timeAsync);
await measure('blocking evaluations (enabled = captures a stack and records a report)', timeBlocking);
