import { describe, expect, it } from 'vitest';
import { summarizeStatement } from '../src/index.js';

describe('summarizeStatement: db.operation.name and db.query.summary from a statement', () => {
  it.each([
    ['SELECT "tweets"."id" FROM "tweets"', 'SELECT', 'SELECT "tweets"'],
    ['SELECT "tweets"."content" FROM "tweets" INNER JOIN "users" ON "tweets"."user_id" = "users"."id"', 'SELECT', 'SELECT "tweets" "users"'],
    [
      'SELECT "t"."id" FROM "tweets" WHERE "t"."user_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."username" = $1)',
      'SELECT',
      'SELECT "tweets" SELECT "users"',
    ],
    ['SELECT "tweets"."id" FROM "tweets" FOR UPDATE', 'SELECT', 'SELECT "tweets"'],
    ['SELECT "tweets"."id" FROM "tweets" FOR NO KEY UPDATE OF "tweets"', 'SELECT', 'SELECT "tweets"'],
    ['INSERT INTO "tweets" ("user_id", "content") VALUES ($1, $2) RETURNING "tweets"."id"', 'INSERT', 'INSERT "tweets"'],
    ['INSERT INTO "tweets" ("id") VALUES ($1) ON CONFLICT ("id") DO UPDATE SET "likes" = $2', 'INSERT', 'INSERT "tweets"'],
    ['INSERT INTO "archive" ("id") SELECT "tweets"."id" FROM "tweets"', 'INSERT', 'INSERT "archive" SELECT "tweets"'],
    ['UPDATE "tweets" SET "likes" = $1 WHERE "tweets"."id" = $2', 'UPDATE', 'UPDATE "tweets"'],
    ['UPDATE ONLY "tweets" SET "likes" = "v"."likes" FROM "votes" AS "v", "users" WHERE TRUE', 'UPDATE', 'UPDATE "tweets" "votes" "users"'],
    ['DELETE FROM "tweets" WHERE "tweets"."id" = $1', 'DELETE', 'DELETE "tweets"'],
    ['SELECT count(*) FROM "public"."tweets"', 'SELECT', 'SELECT "public"."tweets"'],
    ['WITH "recent" AS (SELECT "id" FROM "tweets") SELECT "id" FROM "recent"', 'SELECT', 'SELECT "tweets" SELECT "recent"'],
    ['WITH "gone" AS (DELETE FROM "tweets" RETURNING "id") INSERT INTO "log" SELECT "id" FROM "gone"', 'INSERT', 'DELETE "tweets" INSERT "log" SELECT "gone"'],
    ['(SELECT "id" FROM "a") UNION (SELECT "id" FROM "b")', 'SELECT', 'SELECT "a" SELECT "b"'],
    ['SELECT * FROM generate_series(1, 3)', 'SELECT', 'SELECT'],
    ['SELECT * FROM (SELECT "id" FROM "tweets") AS "t"', 'SELECT', 'SELECT SELECT "tweets"'],
    ['select id from tweets', 'select', 'select tweets'],
    ['BEGIN', 'BEGIN', 'BEGIN'],
    ['BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY', 'BEGIN', 'BEGIN'],
    ['SAVEPOINT "pewit_sp_1"', 'SAVEPOINT', 'SAVEPOINT'],
    ['RELEASE SAVEPOINT "pewit_sp_1"', 'RELEASE', 'RELEASE'],
    ['COMMIT', 'COMMIT', 'COMMIT'],
    ['ROLLBACK', 'ROLLBACK', 'ROLLBACK'],
    ['CREATE TABLE IF NOT EXISTS "users" ("id" SERIAL PRIMARY KEY)', 'CREATE', 'CREATE'],
  ])('%s', (sql, operation, summary) => {
    expect(summarizeStatement(sql)).toEqual({ operation, summary });
  });

  it('never takes a literal, a parameter or a comment into the summary', () => {
    const sql = `SELECT 'FROM secret1', E'it\\'s FROM secret2', $tag$ FROM secret3 $tag$, 42, $1 -- FROM secret4
      /* FROM /* nested */ secret5 */ FROM "t" WHERE "a" IS DISTINCT FROM $2 AND extract(YEAR FROM "t"."d") = 2024`;
    expect(summarizeStatement(sql)).toEqual({ operation: 'SELECT', summary: 'SELECT "t"' });
  });

  it('stops a summary before 255 characters, between two names', () => {
    const tables = Array.from({ length: 40 }, (_, i) => `"table_number_${i}"`);
    const { summary } = summarizeStatement(`SELECT * FROM ${tables.join(', ')}`);
    expect(summary?.length).toBeLessThanOrEqual(255);
    expect(summary?.split(' ').at(-1)).toMatch(/^"table_number_\d+"$/);
    expect(summary?.startsWith(`SELECT ${tables.slice(0, 5).join(' ')}`)).toBe(true);
  });

  it('has neither for an empty statement', () => {
    expect(summarizeStatement('  -- nothing\n')).toEqual({ operation: undefined, summary: undefined });
  });
});
