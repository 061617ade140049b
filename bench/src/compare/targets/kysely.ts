import { type Generated, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { POOL_SIZE } from '../config.js';
import type { NewPost, Target } from '../target.js';

interface Schema {
  bench_users: { id: Generated<number>; username: string; email: string | null; created_at: Date };
  bench_posts: { id: Generated<number>; author_id: number; title: string; body: string; views: number; created_at: Date };
}

/** Kysely on a pg Pool (its PostgresDialect), with pg-cursor for `.stream()`. */
export function kyselyDatabase(url: string): Kysely<Schema> {
  return new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 0 }), cursor: Cursor }),
  });
}

class Rollback extends Error {}

/** Kysely, typed query builder, the way its docs show. */
export function kyselyTarget(url: string): Target {
  const db = kyselyDatabase(url);
  return {
    name: 'Kysely',
    async pkLookup(id) {
      return (await db.selectFrom('bench_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).id;
    },
    async page(offset) {
      return (await db.selectFrom('bench_posts').selectAll().orderBy('id').limit(1_000).offset(offset).execute()).length;
    },
    async joinFilter(prefix) {
      const rows = await db
        .selectFrom('bench_posts as p')
        .innerJoin('bench_users as u', 'u.id', 'p.author_id')
        .select(['p.id', 'p.author_id', 'p.title', 'p.body', 'p.views', 'p.created_at'])
        .select(['u.id as u_id', 'u.username as u_username', 'u.email as u_email', 'u.created_at as u_created_at'])
        .where('u.username', 'like', `${prefix}%`)
        .orderBy('p.id')
        .limit(100)
        .execute();
      return rows.length;
    },
    async usersWithPosts(firstId) {
      const users = await db
        .selectFrom('bench_users')
        .selectAll()
        .where('id', '>=', firstId)
        .where('id', '<=', firstId + 99)
        .orderBy('id')
        .execute();
      const posts = await db
        .selectFrom('bench_posts')
        .selectAll()
        .where(
          'author_id',
          'in',
          users.map((u) => u.id),
        )
        .execute();
      const byId = new Map(users.map((u) => [u.id, { ...u, posts: [] as typeof posts }]));
      for (const post of posts) byId.get(post.author_id)?.posts.push(post);
      return posts.length;
    },
    async insertManyRolledBack(rows: readonly NewPost[]) {
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('bench_posts')
            .values(rows.map((r) => ({ author_id: r.authorId, title: r.title, body: r.body, views: r.views, created_at: r.createdAt })))
            .execute();
          throw new Rollback();
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
      return rows.length;
    },
    async updateInTransaction(id) {
      return db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('bench_posts')
          .set((eb) => ({ views: eb('views', '+', 1) }))
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      });
    },
    close: () => db.destroy(),
  };
}
