import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyModelClass } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery } from '@pewit/test-support';
import { type Catalog, catalog } from './catalog.js';

/**
 * The catalog of `public` without pewit's history table, columns sorted by
 * name: a migration appends a column where createTables puts it in model
 * order, and a down adds a dropped column back at the end, so only the
 * column order may differ. Everything else must be equal.
 */
export async function schemaOf(url: string): Promise<Catalog> {
  const c = await catalog(url);
  const tables = Object.fromEntries(
    Object.entries(c.tables)
      .filter(([name]) => name !== 'pewit_migrations')
      .map(([name, t]) => [name, { ...t, columns: [...t.columns].sort() }]),
  );
  return { tables, enums: c.enums };
}

/** A fresh `public` schema on `url` with the models' tables, created the way applications create them. */
export async function createdBy(url: string, models: readonly AnyModelClass[]): Promise<void> {
  await adminQuery(url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const db = new PostgresqlDatabase(url);
  try {
    await db.createTables(models);
  } finally {
    await db.close();
  }
}

/** The migration files of a folder and the text of the only (or last) one. */
export function written(dir: string): { files: string[]; text: string } {
  const files = readdirSync(dir).sort();
  const last = files.at(-1);
  return { files, text: last === undefined ? '' : readFileSync(join(dir, last), 'utf8') };
}
