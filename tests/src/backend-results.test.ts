// What pg-backend answers for the statements users write by hand, through its own query object (array-query.ts),
// on both backends and the blocking path: results of several statements, command tags and counts, statements
// that return nothing, COPY without a stream, and prepared statements run often enough to go without a Describe.
import { type Database, DatabaseError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

describe.each([
  { name: 'PostgresqlDatabase', open: (url: string): Database => new PostgresqlDatabase(url) },
  { name: 'PooledPostgresqlDatabase', open: (url: string): Database => new PooledPostgresqlDatabase(url, { max: 1 }) },
])('results on $name', ({ name, open }) => {
  let db: Database;
  const table = `results_${name.length}`;
  beforeAll(async () => {
    db = open(database.url());
    await db.execute(sql`CREATE TABLE ${sql.identifier(table)} (id serial PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(() => db.close());

  it('several statements without parameters answer with the last one, as psql does', async () => {
    const last = await db.execute(sql`SELECT 1 AS a; SELECT 2 AS b, 'x' AS c`);
    expect(last.rows).toEqual([{ b: 2, c: 'x' }]);
    expect(last.fields).toEqual(['b', 'c']);
    const quiet = await db.execute(sql`SELECT 1 AS a; SET application_name = 'pewit results'`);
    expect(quiet).toMatchObject({ command: 'SET', rows: [], fields: [] });
  });

  it('command tags and counts: INSERT, UPDATE, DELETE, SELECT; a statement returning nothing has no fields', async () => {
    const inserted = await db.execute(sql`INSERT INTO ${sql.identifier(table)} (label) SELECT 'n' || g FROM generate_series(1, ${3}::int) g`);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 3, rows: [], fields: [] });
    // Three runs of one text: unnamed, prepared (described), then prepared without a Describe (known to return nothing).
    for (let i = 0; i < 3; i++) {
      const updated = await db.execute(sql`UPDATE ${sql.identifier(table)} SET label = label || ${'!'} WHERE id <= ${2}`);
      expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 2, rows: [], fields: [] });
    }
    for (let i = 0; i < 3; i++) {
      const read = await db.execute(sql`SELECT id, label FROM ${sql.identifier(table)} WHERE id > ${0} ORDER BY id`);
      expect(read.command).toBe('SELECT');
      expect(read.rowCount).toBe(3);
      expect(read.fields).toEqual(['id', 'label']);
      expect(read.rows.map((r) => r.label)).toEqual(['n1!!!', 'n2!!!', 'n3']);
    }
    const deleted = await db.execute(sql`DELETE FROM ${sql.identifier(table)} WHERE id > ${0}`);
    expect(deleted).toMatchObject({ command: 'DELETE', rowCount: 3 });
  });

  it('COPY … FROM STDIN without a stream fails with the server error, and the connection stays usable', async () => {
    const error = await db.execute(sql`COPY ${sql.identifier(table)} (label) FROM STDIN`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/No source stream defined/);
    expect((await db.execute(sql`SELECT ${5}::int AS five`)).rows).toEqual([{ five: 5 }]);
  });

  it('NULLs, empty strings and multi-byte text come back as sent, prepared or not', async () => {
    for (let i = 0; i < 3; i++) {
      const { rows } = await db.execute(sql`SELECT ${null}::text AS n, ${''}::text AS e, ${'ünï ✓ 🐦'}::text AS u, ${i}::int AS i`);
      expect(rows).toEqual([{ n: null, e: '', u: 'ünï ✓ 🐦', i }]);
    }
  });
});

describe('results on the blocking path', () => {
  let db: PostgresqlDatabase;
  beforeAll(() => {
    db = new PostgresqlDatabase(database.url());
  });
  afterAll(() => db.close());

  it('answers like the async path: last of several statements, counts, prepared runs', () => {
    expect(db.executeSync(sql`SELECT 1 AS a; SELECT 2 AS b`).rows).toEqual([{ b: 2 }]);
    for (let i = 0; i < 3; i++) expect(db.executeSync(sql`SELECT ${i}::int AS i, ${'x'}::text AS t`).rows).toEqual([{ i, t: 'x' }]);
  });

  // Rows cross from the worker thread packed into strings (pg-backend's blocking-rows.ts): every cell must come back.
  it('NULLs, empty and multi-byte text, control characters, cells past 65,534 characters, rows without columns', () => {
    const long = `${'ü'.repeat(70_000)}:🐦`;
    const { rows } = db.executeSync(
      sql`SELECT ${null}::text AS n, ${''}::text AS e, ${'ünï ✓ 🐦'}::text AS u, ${'a\u0001b'}::text AS c, ${long}::text AS l, ${7}::int AS i`,
    );
    expect(rows).toEqual([{ n: null, e: '', u: 'ünï ✓ 🐦', c: 'a\u0001b', l: long, i: 7 }]);
    const many = db.executeSync(sql`SELECT g AS id, CASE WHEN g % 3 = 0 THEN NULL ELSE repeat('x', g % 50) END AS x FROM generate_series(1, 20000) g`);
    expect(many.rows).toHaveLength(20_000);
    expect(many.rows[19_998]).toEqual({ id: 19_999, x: 'x'.repeat(19_999 % 50) });
    expect(many.rows[2]).toEqual({ id: 3, x: null });
    const empty = db.executeSync(sql`SELECT FROM generate_series(1, 3)`);
    expect(empty.rows).toEqual([{}, {}, {}]);
  });
});
