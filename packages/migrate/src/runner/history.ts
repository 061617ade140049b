import type { Database } from '@pewit/core';
import { quoteIdentifier as q, sql } from '@pewit/query';

/** A row of the history table. */
export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly durationMs: number;
}

/** The default history table. */
export const HISTORY_TABLE = 'pewit_migrations';

/**
 * The table that records applied migrations. Its rows are written in the
 * migration's own transaction, so a migration and its record commit together.
 */
export class History {
  readonly #table: string;
  constructor(
    private readonly db: Database,
    table: string = HISTORY_TABLE,
  ) {
    this.#table = q(table);
  }

  async ensure(): Promise<void> {
    await this.db.execute(
      sql.unsafe(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), duration_ms integer NOT NULL)`,
      ),
    );
  }

  /** Whether the table exists (a dry run or `status` on a fresh database creates nothing). */
  async exists(): Promise<boolean> {
    const { rows } = await this.db.execute(sql`SELECT to_regclass(${this.#table}) IS NOT NULL AS "found"`);
    return rows[0]?.found === true;
  }

  /** Applied migrations, oldest first. */
  async applied(): Promise<AppliedMigration[]> {
    if (!(await this.exists())) return [];
    const { rows } = await this.db.execute(sql.unsafe(`SELECT name, checksum, applied_at, duration_ms FROM ${this.#table} ORDER BY applied_at, name`));
    return rows.map((r) => ({ name: r.name as string, checksum: r.checksum as string, appliedAt: r.applied_at as Date, durationMs: r.duration_ms as number }));
  }

  async record(name: string, checksum: string, durationMs: number): Promise<void> {
    await this.db.execute(sql`INSERT INTO ${sql.unsafe(this.#table)} (name, checksum, duration_ms) VALUES (${name}, ${checksum}, ${Math.round(durationMs)})`);
  }

  async forget(name: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM ${sql.unsafe(this.#table)} WHERE name = ${name}`);
  }

  /** After `--force` on an edited file: the row takes the file's new checksum. */
  async updateChecksum(name: string, checksum: string): Promise<void> {
    await this.db.execute(sql`UPDATE ${sql.unsafe(this.#table)} SET checksum = ${checksum} WHERE name = ${name}`);
  }
}
