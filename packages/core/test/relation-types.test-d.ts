import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, ForeignKeyField, fn, model, type SelectQuery, TextField } from '../src/index.js';
import { Tweet, User } from './models.js';

class Author extends model('rel_authors', { id: AutoField(), name: TextField() }) {
  /** The backref `ForeignKeyField(…, { backref: 'posts' })` adds, typed by a declaration. */
  declare readonly posts: SelectQuery<Post>;
}
class Post extends model('rel_posts', {
  id: AutoField(),
  author: ForeignKeyField(() => Author, { backref: 'posts' }),
  editor: ForeignKeyField(() => Author, { null: true }),
  title: TextField(),
}) {}

describe('related instances are typed as the related model', () => {
  it('after a join or a prefetch, and on a lazy read', async () => {
    const [joined] = await Tweet.select(Tweet, User).join(User);
    expectTypeOf(joined!.user).toEqualTypeOf<User>();
    expectTypeOf(joined!.user.username).toEqualTypeOf<string>();
    const [prefetched] = await Post.select().prefetch(Author);
    expectTypeOf(prefetched!.author).toEqualTypeOf<Author>();
    expectTypeOf(prefetched!.editor).toEqualTypeOf<Author | null>();
    // @ts-expect-error an Author has no username: the related instance is not any
    prefetched!.author.username;
    const post = Post.getSync(Post.id.eq(1));
    expectTypeOf(post.author.name).toEqualTypeOf<string>();
  });

  it('load() takes relation names only and resolves to the related instance', async () => {
    const post = new Post();
    expectTypeOf(await post.load('author')).toEqualTypeOf<Author>();
    expectTypeOf(await post.load('editor')).toEqualTypeOf<Author | null>();
    // @ts-expect-error title is a column, not a relation
    post.load('title');
    // @ts-expect-error save is a method
    post.load('save');
  });

  it('backrefs keep their declared SelectQuery', async () => {
    const author = new Author();
    expectTypeOf(author.posts).toEqualTypeOf<SelectQuery<Post>>();
    expectTypeOf(await author.posts).toEqualTypeOf<Post[]>();
    expectTypeOf((await author.posts.where(Post.title.eq('x')).first())!.author).toEqualTypeOf<Author>();
  });
});

describe('aliased expressions are typed on instances', () => {
  it('adds one property per alias, and nothing without aliases', async () => {
    const [row] = await Post.select(Post, fn.count(Post.id).as('n'), fn.max(Post.title).as('last')).groupBy(Post.id);
    expectTypeOf(row!.n).toEqualTypeOf<number>();
    expectTypeOf(row!.last).toEqualTypeOf<string | null>();
    expectTypeOf(row!.title).toEqualTypeOf<string>();
    expectTypeOf(await Post.select(Post.id)).toEqualTypeOf<Post[]>();
    // @ts-expect-error no such alias
    row!.m;
  });
});
