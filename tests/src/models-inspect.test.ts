import { inspect } from 'node:util';
import { AutoField, ForeignKeyField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
});
afterAll(() => db.close());

describe('util.inspect and console.log of a model instance', () => {
  it('print the class and its field values, not internal symbols', async () => {
    class Author extends model('inspect_authors', { id: AutoField(), handle: TextField() }, { database: db }) {}
    class Post extends model('inspect_posts', { id: AutoField(), author: ForeignKeyField(() => Author), title: TextField() }, { database: db }) {}
    await db.createTables([Author, Post]);
    const ada = await Author.create({ handle: 'Ada' });
    const created = await Post.create({ author: ada, title: 'Hello' });
    const loaded = await Post.getById(created.id);
    const text = inspect(loaded);
    expect(text).toBe(`Post { id: ${loaded.id}, authorId: ${ada.id}, title: 'Hello' }`);
    expect(text).not.toMatch(/Symbol\(pewit/);
    const joined = await Post.select(Post, Author).join(Author).get();
    expect(inspect(joined)).toBe(`Post { id: ${loaded.id}, author: Author { id: ${ada.id}, handle: 'Ada' }, title: 'Hello' }`);
    expect(inspect(new Post({ title: 'draft' }))).toBe("Post { id: null, authorId: null, title: 'draft' }");
  });
});
