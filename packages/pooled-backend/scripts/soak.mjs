// Soak test of the pooled backend: many mixed operations while connections are
// killed at random, then a check for lost writes and leaked connections.
//
//   npm run soak -w @pewit/pooled-backend                 # 100,000 operations
//   SOAK_OPS=5000 npm run soak -w @pewit/pooled-backend   # a quick run
//
// Uses DATABASE_URL (a superuser URL) when set, otherwise a throwaway embedded
// server. Builds nothing: run `npx turbo run build` first. Exits 1 on a lost
// write, a phantom write, a broken invariant or a leaked connection.
import { randomBytes } from 'node:crypto';
import { AutoField, IntegerField, model, OperationalError, sql, TextField } from '@pewit/core';
import { adminQuery, withDatabase } from '@pewit/test-support/admin';
import pg from 'pg';
import { PooledPostgresqlDatabase } from '../dist/index.js';

const OPS = Number(process.env.SOAK_OPS ?? 100_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 40);
const MAX = Number(process.env.SOAK_POOL_MAX ?? 8);
const KILL_EVERY_MS = Number(process.env.SOAK_KILL_EVERY_MS ?? 50);
const ACCOUNTS = 20;
const APP = 'pewit-soak';

async function adminServer() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const { startEmbeddedServer } = await import('@pewit/test-support/embedded-server');
  return startEmbeddedServer();
}

/** A seeded PRNG so a run can be repeated (SOAK_SEED). */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const server = await adminServer();
const name = `pewit_soak_${randomBytes(4).toString('hex')}`;
await adminQuery(server.url, `CREATE DATABASE "${name}"`);
const url = withDatabase(server.url, name, { application_name: APP });
const db = new PooledPostgresqlDatabase(url, { max: MAX, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 5_000 });

class Account extends model('accounts', { id: AutoField(), label: TextField({ unique: true }), balance: IntegerField({ default: 0 }) }, { database: db }) {}
class Entry extends model(
  'entries',
  { id: AutoField(), op: IntegerField({ unique: true }), account: IntegerField(), delta: IntegerField() },
  { database: db },
) {}
class Note extends model('notes', { id: AutoField(), op: IntegerField({ unique: true }) }, { database: db }) {}

await db.createTables([Account, Entry, Note]);
for (let i = 0; i < ACCOUNTS; i++) await Account.create({ label: `account-${i}` });
const accounts = (await Account.select(Account.id).tuples()).map((r) => r[0]);

const seed = Number(process.env.SOAK_SEED ?? 1);
const random = prng(seed);
/** Op ids acknowledged as written / known not written / of unknown fate (connection killed mid-commit). */
const acked = { entries: new Set(), notes: new Set() };
const refused = { entries: new Set(), notes: new Set() };
const counts = { ok: 0, expectedFailure: 0, killed: 0, unexpected: 0, kills: 0 };
const unexpected = [];

class Planned extends Error {}

async function runOp(op) {
  const r = random();
  const account = accounts[Math.floor(random() * accounts.length)];
  const kind = r < 0.4 ? 'transfer' : r < 0.6 ? 'note' : r < 0.75 ? 'read' : r < 0.85 ? 'failing' : 'savepoint';
  const target = kind === 'note' ? 'notes' : 'entries';
  try {
    if (kind === 'transfer') {
      await db.atomic(async () => {
        const [row] = await Account.select().where(Account.id.eq(account)).forUpdate();
        row.balance += 1;
        await row.save();
        await Entry.create({ op, account, delta: 1 });
      });
    } else if (kind === 'note') {
      await Note.create({ op });
    } else if (kind === 'read') {
      await Entry.select().where(Entry.account.eq(account)).count();
    } else if (kind === 'failing') {
      await db.atomic(async () => {
        await Account.update({ balance: Account.balance.add(1) }).where(Account.id.eq(account));
        await Entry.create({ op, account, delta: 1 });
        throw new Planned('planned failure');
      });
    } else {
      await db.atomic(async () => {
        await db
          .atomic(async () => {
            await Account.update({ balance: Account.balance.add(1000) }).where(Account.id.eq(account));
            throw new Planned('inner failure');
          })
          .catch((e) => {
            if (!(e instanceof Planned)) throw e;
          });
        await Account.update({ balance: Account.balance.add(1) }).where(Account.id.eq(account));
        await Entry.create({ op, account, delta: 1 });
      });
    }
    if (kind !== 'read') acked[target].add(op);
    counts.ok++;
  } catch (error) {
    if (error instanceof Planned) {
      refused[target].add(op);
      counts.expectedFailure++;
    } else if (error instanceof OperationalError) {
      // Killed: the write may or may not have committed (e.g. killed during COMMIT); either is correct.
      counts.killed++;
    } else {
      counts.unexpected++;
      if (unexpected.length < 5) unexpected.push(`${kind}: ${error?.name}: ${error?.message}`);
    }
  }
}

// The killer: every KILL_EVERY_MS, terminate one random connection of the pool.
const killer = new pg.Client({ connectionString: withDatabase(server.url, name) });
await killer.connect();
let killing = true;
const killLoop = (async () => {
  while (killing) {
    await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS * (0.5 + random())));
    if (!killing) break;
    const { rows } = await killer.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() ORDER BY random() LIMIT 1`,
      [APP],
    );
    if (rows[0]?.killed) counts.kills++;
  }
})();

const started = performance.now();
let next = 0;
let lastReport = started;
async function worker() {
  while (next < OPS) {
    const op = next++;
    await runOp(op);
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      console.log(`  … ${next}/${OPS} operations, ${counts.kills} connections killed, pool ${db.totalCount} open / ${db.idleCount} idle`);
    }
  }
}
console.log(`soak: ${OPS} operations, concurrency ${CONCURRENCY}, pool max ${MAX}, a kill every ~${KILL_EVERY_MS} ms (seed ${seed})`);
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
killing = false;
await killLoop;
await killer.end();
const seconds = (performance.now() - started) / 1000;

// Let the pool notice connections killed while idle, then check for leaks.
for (let i = 0; i < 100 && db.totalCount !== db.idleCount; i++) await new Promise((resolve) => setTimeout(resolve, 20));
const leakedInPool = db.totalCount - db.idleCount + db.waitingCount;
const { rows: sessions } = await adminQuery(
  server.url,
  `SELECT count(*)::int AS open, count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS in_tx FROM pg_stat_activity WHERE application_name = $1`,
  [APP],
);

const entries = new Set((await Entry.select(Entry.op).tuples()).map((r) => r[0]));
const notes = new Set((await Note.select(Note.op).tuples()).map((r) => r[0]));
const lost = [...acked.entries].filter((op) => !entries.has(op)).length + [...acked.notes].filter((op) => !notes.has(op)).length;
const phantom = [...refused.entries].filter((op) => entries.has(op)).length + [...refused.notes].filter((op) => notes.has(op)).length;
// Atomicity: every committed transfer wrote its entry and its +1 together (failed savepoints added nothing).
const { rows: mismatch } = await db.execute(sql`
  SELECT count(*)::int AS n FROM accounts a
  WHERE a.balance <> (SELECT count(*) FROM entries e WHERE e.account = a.id)`);

const report = {
  operations: OPS,
  seconds: Number(seconds.toFixed(1)),
  succeeded: counts.ok,
  plannedFailures: counts.expectedFailure,
  failedByKill: counts.killed,
  unexpectedErrors: counts.unexpected,
  connectionsKilled: counts.kills,
  lostWrites: lost,
  phantomWrites: phantom,
  accountsOutOfBalance: mismatch[0].n,
  leakedConnections: leakedInPool,
  serverSessionsAfter: sessions[0].open,
  sessionsIdleInTransaction: sessions[0].in_tx,
  poolAfter: { total: db.totalCount, idle: db.idleCount, waiting: db.waitingCount },
};
console.log(JSON.stringify(report, null, 2));
for (const line of unexpected) console.log(`unexpected: ${line}`);

await db.close();
await adminQuery(server.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await server.stop();

const failed = lost || phantom || mismatch[0].n || leakedInPool || sessions[0].in_tx || sessions[0].open > db.poolOptions.max || counts.unexpected;
console.log(failed ? 'soak: FAILED' : 'soak: OK — zero lost writes, zero leaked connections');
process.exit(failed ? 1 : 0);
