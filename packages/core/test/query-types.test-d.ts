import { describe, expectTypeOf, it } from 'vitest';
import { fn, recursiveCte, sql } from '../src/index.js';
import { Category, Tweet, User } from './models.js';

describe('column operand types', () => {
  it('rejects operands of the wrong type', () => {
    // @ts-expect-error age is an integer column
    User.age.eq('x');
    // @ts-expect-error username is text
    User.username.in([1, 2]);
    // @ts-expect-error likes is an integer column
    Tweet.likes.between('a', 'b');
    // @ts-expect-error likes is an integer column
    Tweet.likes.add('1');
    User.age.eq(3);
    User.age.eq(null);
    User.age.eq(Tweet.likes);
    Tweet.user.eq(1);
    User.username.in(User.select(User.username));
  });
});

// docs/blocking-and-async.md: a query returned from an async function is awaited there (it is thenable).
describe('a query returned from an async function', () => {
  it('resolves to its rows, so the caller gets no query', async () => {
    async function withAge() {
      return User.select().where(User.age.gte(18));
    }
    const users = await withAge();
    expectTypeOf(users).toEqualTypeOf<User[]>();
    // @ts-expect-error Property 'where' does not exist on type 'User[]'
    users.where(User.age.eq(1));
    function query() {
      return User.select().where(User.age.gte(18));
    }
    expectTypeOf(query().where).toBeFunction();
  });
});

describe('row types of dicts() and tuples()', () => {
  it('types dicts from columns, aliases and whole models', async () => {
    const rows = await Tweet.select(Tweet.id, User.username, fn.count(Tweet.id).as('n'), Tweet.user).join(User).dicts();
    expectTypeOf(rows).toEqualTypeOf<{ id: number; username: string; n: number; user: number }[]>();
    const all = await User.select().dicts();
    expectTypeOf(all).toEqualTypeOf<{ id: number; username: string; email: string | null; age: number | null; isAdmin: boolean }[]>();
    const collide = await Tweet.select(Tweet, User).join(User).dicts();
    // @ts-expect-error Tweet.id and User.id would both be the key "id": the row type has no readable keys
    collide[0]!.id;
    const aliased = await Tweet.select(Tweet, User.id.as('userId'), User.username).join(User).dicts();
    expectTypeOf(aliased[0]!.userId).toEqualTypeOf<number>();
    const model = await Tweet.select(Tweet.content, User).join(User).dicts();
    expectTypeOf(model[0]!.isAdmin).toEqualTypeOf<boolean>();
    expectTypeOf(model[0]!.content).toEqualTypeOf<string>();
  });

  it('types tuples element by element', async () => {
    const rows = await User.select(User.id, User.email, fn.lower(User.username).as('lower')).tuples();
    expectTypeOf(rows).toEqualTypeOf<[number, string | null, string][]>();
    expectTypeOf(await User.select(User, Tweet.id).tuples()).toEqualTypeOf<unknown[][]>();
  });

  it('instances stay the default row', async () => {
    const users = await User.select(User.id).where(User.age.gt(1));
    expectTypeOf(users).toEqualTypeOf<User[]>();
    expectTypeOf(await User.select().where(User.id.eq(1)).first()).toEqualTypeOf<User | null>();
  });

  it('types the columns and rows of subqueries, CTEs and set operations', async () => {
    const sub = Tweet.select(Tweet.user, fn.count().as('n')).groupBy(Tweet.user).subquery('sub');
    expectTypeOf(sub.c.n.gt).parameter(0).toEqualTypeOf<number | import('../src/index.js').TypedOperand<number>>();
    expectTypeOf(await sub.select()).toEqualTypeOf<{ user: number; n: number }[]>();
    expectTypeOf(await sub.select(sub.c.n)).toEqualTypeOf<{ n: number }[]>();
    const top = User.select(User.username).cte('top');
    expectTypeOf(await top.select()).toEqualTypeOf<{ username: string }[]>();
    const tree = recursiveCte('tree', ['id', 'depth'], (self) =>
      Category.select(Category.id, sql`0`).unionAll(Category.select(Category.id, self.c.depth.add(1)).join(self, { on: Category.parent.eq(self.c.id) })),
    );
    expectTypeOf(tree.c.id.eq).parameter(0).toEqualTypeOf<number | import('../src/index.js').TypedOperand<number> | null>();
    const union = await User.select(User.username).union(User.select(User.username)).dicts();
    expectTypeOf(union).toEqualTypeOf<{ username: string }[]>();
  });
});
