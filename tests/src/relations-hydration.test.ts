// Issue #17 item 5: hydration never drops or mixes up what the query selected, on both backends.
import { AutoField, type Database, ForeignKeyField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: Database) {
  class User extends model('users', { id: AutoField(), name: TextField() }, { database: db }) {}
  class Post extends model(
    'posts',
    {
      id: AutoField(),
      author: ForeignKeyField(() => User, { backref: 'posts' }),
      title: TextField(),
    },
    { database: db },
  ) {}
  class Comment extends model(
    'comments',
    {
      id: AutoField(),
      post: ForeignKeyField(() => Post, { backref: 'comments' }),
      writer: ForeignKeyField(() => User, { backref: 'written' }),
      body: TextField(),
    },
    { database: db },
  ) {}
  class Message extends model(
    'messages',
    {
      id: AutoField(),
      sender: ForeignKeyField(() => User, { backref: 'sent' }),
      recipient: ForeignKeyField(() => User, { null: true, backref: 'received' }),
      text: TextField(),
    },
    { database: db },
  ) {}
  return { User, Post, Comment, Message };
}

const backends: [string, (url: string) => Database][] = [
  ['single connection', (url) => new PostgresqlDatabase(url)],
  ['pooled', (url) => new PooledPostgresqlDatabase(url, { max: 3 })],
];

describe.each(backends)('hydration keeps what the query selected, %s backend', (_label, open) => {
  let db: Database;
  let m: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = open(database.url());
    m = defineModels(db);
    await db.dropTables([m.Message, m.Comment, m.Post, m.User], { safe: true });
    await db.createTables([m.User, m.Post, m.Comment, m.Message]);
    const ada = await m.User.create({ name: 'ada' });
    const bob = await m.User.create({ name: 'bob' });
    await m.User.create({ name: 'cy' });
    // Post ids (1, 2) differ from their authors' ids (2, 1): a mixed-up id shows.
    const p1 = await m.Post.create({ author: bob, title: 'by bob' });
    const p2 = await m.Post.create({ author: ada, title: 'by ada' });
    await m.Message.create({ sender: bob, recipient: ada, text: 'hi ada' });
    await m.Message.create({ sender: ada, text: 'to nobody' });
    // Each comment is written by someone else than the post's author.
    await m.Comment.insertMany([
      { post: p1, writer: ada, body: 'c1' },
      { post: p2, writer: bob, body: 'c2' },
    ]);
  });
  afterAll(() => db.close());

  it('.dicts() over two models refuses colliding keys before any SQL, and says how to alias them', async () => {
    const { Post, User } = m;
    const log = recordQueries(db);
    await expect(Post.select(Post, User).join(User).dicts()).rejects.toThrow(/Post\.id and User\.id would both be the key "id".*\.as\('…'\)/);
    expect(log.count).toBe(0);
    log.stop();
    const rows = await Post.select(Post, User.id.as('userId'), User.c.name).join(User).orderBy(Post.id).dicts();
    expect(rows).toEqual([
      { id: 1, author: 2, title: 'by bob', userId: 2, name: 'bob' },
      { id: 2, author: 1, title: 'by ada', userId: 1, name: 'ada' },
    ]);
    const tuples = await Post.select(Post.id, User.id).join(User).orderBy(Post.id).tuples();
    expect(tuples).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('a reverse join attaches the joined row as peewee does: user.post', async () => {
    const { Post, User } = m;
    const users = await User.select(User, Post).join(Post).orderBy(User.id);
    const read = users.map((u) => [u.name, (u as unknown as { post: InstanceType<typeof Post> }).post.title]);
    expect(read).toEqual([
      ['ada', 'by ada'],
      ['bob', 'by bob'],
    ]);
    const left = await User.select(User, Post)
      .join(Post, { type: 'left', on: Post.author.eq(User.id) })
      .orderBy(User.id);
    expect(left.map((u) => (u as unknown as { post: { title: string } | null }).post?.title ?? null)).toEqual(['by ada', 'by bob', null]);
    expect((left[0] as unknown as { post: unknown }).post).toBeInstanceOf(Post);
  });

  it('a model joined through a middle model that is not selected is refused before SQL; selecting the middle attaches it', async () => {
    const { Comment, Post, User } = m;
    const log = recordQueries(db);
    const through = /User is joined through Post, which is not selected.*select Post too/;
    await expect(Comment.select(Comment, User).join(Post).join(User, { from: Post })).rejects.toThrow(through);
    // Comment.writer also points at User: the post's author must not land on comment.writer instead.
    expect(() => Comment.select(Comment, User).join(Post).join(User, { from: Post }).sql()).not.toThrow();
    expect(log.count).toBe(0);
    const comments = await Comment.select(Comment, Post, User).join(Post).join(User, { from: Post }).orderBy(Comment.id);
    expect(comments.map((c) => [c.body, c.post.title, c.post.author.name])).toEqual([
      ['c1', 'by bob', 'bob'],
      ['c2', 'by ada', 'ada'],
    ]);
    expect(comments.map((c) => c.writer.name)).toEqual(['ada', 'bob']); // the writers, read lazily (blocking)
    expect(log.count).toBe(3);
    log.stop();
  });

  it('a required foreign key that was not selected is refused, never null', async () => {
    const { Post } = m;
    const [post] = await Post.select(Post.id, Post.title).orderBy(Post.id);
    const log = recordQueries(db);
    expect(() => post?.author).toThrow(/Post\.author was not selected.*add Post\.author to select/);
    await expect(post!.load('author')).rejects.toThrow(/Post\.author was not selected/);
    expect(log.count).toBe(0);
    log.stop();
    const [full] = await Post.select().orderBy(Post.id);
    expect((await full!.load('author')).name).toBe('bob');
  });

  type Rows<T> = Iterable<T>;
  const bodies = (rows: unknown) => [...(rows as Rows<{ body: string }>)].map((r) => r.body);

  it('each chained .prefetch() call starts from the query rows: comments land on posts, not on their writers', async () => {
    const { Comment, Post, User } = m;
    const log = recordQueries(db);
    const posts = await Post.select().orderBy(Post.id).prefetch(User).prefetch(Comment);
    expect(log.count).toBe(3);
    expect(posts.map((p) => [p.title, p.author.name, bodies((p as unknown as { comments: unknown }).comments)])).toEqual([
      ['by bob', 'bob', ['c1']],
      ['by ada', 'ada', ['c2']],
    ]);
    expect(log.count).toBe(3); // every read above came from the prefetch
    log.stop();
  });

  it('a level that relates to two earlier levels of one call is refused, and naming the foreign key chooses', async () => {
    const { Comment, Post, User } = m;
    await expect(Post.select().prefetch(User, Comment)).rejects.toThrow(
      /prefetch\(Comment\): Comment relates to User \(Comment\.writer\) and Post \(Comment\.post\).*name the foreign key/,
    );
    const posts = await Post.select().orderBy(Post.id).prefetch(User, Comment.post);
    expect(posts.map((p) => bodies((p as unknown as { comments: unknown }).comments))).toEqual([['c1'], ['c2']]);
  });

  it('prefetch with two foreign keys to the same parent: refused unnamed, the named one loads', async () => {
    const { Message, User } = m;
    await expect(User.select().prefetch(Message)).rejects.toThrow(
      /several foreign keys \(Message\.sender, Message\.recipient\).*prefetch\(Message\.<foreign key>\)/,
    );
    const log = recordQueries(db);
    const users = await User.select().orderBy(User.id).prefetch(Message.recipient);
    const texts = (rows: unknown) => [...(rows as Iterable<{ text: string }>)].map((r) => r.text);
    expect(users.map((u) => [u.name, texts((u as unknown as { received: unknown }).received)])).toEqual([
      ['ada', ['hi ada']],
      ['bob', []],
      ['cy', []],
    ]);
    const messages = await Message.select().orderBy(Message.id).prefetch(Message.recipient);
    expect(messages.map((x) => x.recipient?.name ?? null)).toEqual(['ada', null]);
    expect(log.count).toBe(4);
    log.stop();
  });
});
