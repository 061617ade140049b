import { AutoField, type Database, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The two backends every transaction test runs on. */
export const BACKENDS = [
  { name: 'PostgresqlDatabase', pooled: false, open: (url: string): Database => new PostgresqlDatabase(url) },
  { name: 'PooledPostgresqlDatabase', pooled: true, open: (url: string): Database => new PooledPostgresqlDatabase(url, { max: 5 }) },
] as const;

/** A ledger table: one label per row, with an amount to increment. */
export function defineEntry(db: Database, table: string) {
  return class Entry extends model(table, { id: AutoField(), label: TextField({ unique: true }), amount: IntegerField({ default: 0 }) }, { database: db }) {};
}

/** The PostgreSQL backend PID of the connection the statement ran on. */
export async function backendPid(db: Database): Promise<number> {
  const { rows } = await db.execute(sql`SELECT pg_backend_pid() AS pid`);
  return rows[0]?.pid as number;
}

/** Labels in the table, sorted, as another connection sees them. */
export async function labels(Entry: ReturnType<typeof defineEntry>): Promise<string[]> {
  const rows = await Entry.select(Entry.label).orderBy(Entry.label.asc()).tuples();
  return rows.map((r) => r[0] as string);
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** What `useLedger` sets up: the database under test, an observer connection and the ledger model on each. */
export interface Ledger {
  db: Database;
  /** A second, independent connection: sees only committed data. */
  observer: Database;
  Entry: ReturnType<typeof defineEntry>;
  /** The same table, read through the observer. */
  Seen: ReturnType<typeof defineEntry>;
}

/**
 * Registers hooks that give a describe block a ledger table on `backend`,
 * emptied before each test, and hands the parts to `assign` once they exist.
 */
export function useLedger(url: () => string, backend: (typeof BACKENDS)[number], assign: (ledger: Ledger) => void): void {
  let ledger: Ledger | undefined;
  const table = `entries_${backend.pooled ? 'pooled' : 'single'}`;
  beforeAll(async () => {
    const db = backend.open(url());
    const observer = new PostgresqlDatabase(url());
    ledger = { db, observer, Entry: defineEntry(db, table), Seen: defineEntry(observer, table) };
    assign(ledger);
    await db.createTables([ledger.Entry]);
  });
  afterAll(async () => {
    await ledger?.db.close();
    await ledger?.observer.close();
  });
  beforeEach(async () => {
    await ledger?.Entry.delete();
  });
}
