import { eq, inArray, like, sql, TransactionRollbackError } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { POOL_SIZE } from '../config.js';
import type { NewPost, Target } from '../target.js';

const users = pgTable('bench_users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull(),
  email: text('email'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
const posts = pgTable('bench_posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id')
    .notNull()
    .references(() => users.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
  views: integer('views').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Drizzle ORM (drizzle-orm/node-postgres) on a pg Pool, its SQL-like API. */
export function drizzleTarget(url: string): Target {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  const db = drizzle(pool);
  return {
    name: 'Drizzle',
    async pkLookup(id) {
      const [user] = await db.select().from(users).where(eq(users.id, id));
      return (user as { id: number }).id;
    },
    async page(offset) {
      return (await db.select().from(posts).orderBy(posts.id).limit(1_000).offset(offset)).length;
    },
    async joinFilter(prefix) {
      const rows = await db
        .select()
        .from(posts)
        .innerJoin(users, eq(posts.authorId, users.id))
        .where(like(users.username, `${prefix}%`))
        .orderBy(posts.id)
        .limit(100);
      return rows.length;
    },
    async usersWithPosts(firstId) {
      const found = await db
        .select()
        .from(users)
        .where(sql`${users.id} BETWEEN ${firstId} AND ${firstId + 99}`)
        .orderBy(users.id);
      const rows = await db
        .select()
        .from(posts)
        .where(
          inArray(
            posts.authorId,
            found.map((u) => u.id),
          ),
        );
      const byId = new Map(found.map((u) => [u.id, { ...u, posts: [] as typeof rows }]));
      for (const post of rows) byId.get(post.authorId)?.posts.push(post);
      return rows.length;
    },
    async insertManyRolledBack(rows: readonly NewPost[]) {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(posts).values(rows.map((r) => ({ ...r })));
          tx.rollback();
        });
      } catch (error) {
        if (!(error instanceof TransactionRollbackError)) throw error;
      }
      return rows.length;
    },
    async updateInTransaction(id) {
      return db.transaction(async (tx) => {
        const result = await tx
          .update(posts)
          .set({ views: sql`${posts.views} + 1` })
          .where(eq(posts.id, id));
        return result.rowCount ?? 0;
      });
    },
    close: () => pool.end(),
  };
}
