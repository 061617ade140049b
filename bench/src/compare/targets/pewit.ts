import { AutoField, type Database, DateTimeField, ForeignKeyField, IntegerField, model, TextField } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { POOL_SIZE } from '../config.js';
import type { NewPost, Target } from '../target.js';

/** The benchmark models on a database (the tables exist already: see schema.ts). */
export function pewitModels(db: Database) {
  class User extends model(
    'bench_users',
    { id: AutoField(), username: TextField(), email: TextField({ null: true }), createdAt: DateTimeField() },
    { database: db },
  ) {}
  class Post extends model(
    'bench_posts',
    {
      id: AutoField(),
      author: ForeignKeyField(() => User, { backref: 'posts', onDelete: 'CASCADE' }),
      title: TextField(),
      body: TextField(),
      views: IntegerField(),
      createdAt: DateTimeField(),
    },
    { database: db },
  ) {}
  return { User, Post };
}

/** pewit on its pooled backend, written the way the docs show. */
export function pewitTarget(url: string): Target & { readonly db: PooledPostgresqlDatabase } {
  const db = new PooledPostgresqlDatabase(url, { max: POOL_SIZE, idleTimeoutMillis: 0 });
  const { User, Post } = pewitModels(db);
  return {
    name: 'pewit',
    db,
    async pkLookup(id) {
      return (await User.getById(id)).id;
    },
    async page(offset) {
      return (await Post.select().orderBy(Post.id).limit(1_000).offset(offset)).length;
    },
    async joinFilter(prefix) {
      const rows = await Post.select(Post, User).join(User).where(User.username.startsWith(prefix)).orderBy(Post.id).limit(100);
      return rows.length;
    },
    async usersWithPosts(firstId) {
      const users = await User.select()
        .where(User.id.between(firstId, firstId + 99))
        .orderBy(User.id)
        .prefetch(Post);
      let posts = 0;
      for (const user of users) posts += (user as unknown as { posts: { allSync(): unknown[] } }).posts.allSync().length;
      return posts;
    },
    async insertManyRolledBack(rows: readonly NewPost[]) {
      const tx = await db.begin();
      try {
        await tx.run(() => Post.insertMany(rows.map((r) => ({ author: r.authorId, title: r.title, body: r.body, views: r.views, createdAt: r.createdAt }))));
        return rows.length;
      } finally {
        await tx.rollback();
      }
    },
    async updateInTransaction(id) {
      return db.atomic(() => Post.update({ views: Post.views.add(1) }).where(Post.id.eq(id)));
    },
    close: () => db.close(),
  };
}
