import { describe, it } from 'vitest';
import { and, BigIntegerField, fn, model, not, or, sql } from '../src/index.js';
import { Category, Tweet, User } from './models.js';

class Counter extends model('op_counters', { total: BigIntegerField() }) {}

describe('operand types are checked', () => {
  it('a column or expression of another type does not compile', () => {
    // @ts-expect-error username is text, age an integer
    User.c.username.eq(User.c.age);
    // @ts-expect-error age is an integer, username text
    User.age.gt(User.username);
    // @ts-expect-error lower() is text
    Tweet.likes.eq(fn.lower(User.username));
    // @ts-expect-error a text column as a BETWEEN bound of an integer
    Tweet.likes.between(0, User.username);
    const untyped = fn.abs(Tweet.likes);
    // @ts-expect-error an untyped function result is unknown, not an integer: say its type (fn.abs<number>)
    Tweet.likes.eq(untyped);
  });

  it('the usual allowances', () => {
    User.age.eq(Tweet.likes);
    Counter.total.gt(Tweet.likes); // bigint with integer
    Tweet.likes.lt(Counter.total);
    User.age.isNull();
    User.age.eq(null);
    Tweet.likes.eq(fn.abs<number>(Tweet.likes));
    Tweet.likes.eq(sql`1`); // raw SQL carries no type
    Tweet.user.eq(User.id); // a foreign key with its target's key
    User.id.eq(Tweet.user);
    Category.parent.eq(Category.id);
    User.username.in(User.select(User.username));
  });
});

describe('where, having, on and get take boolean expressions only', () => {
  it('refuses a column or expression that is not boolean', () => {
    // @ts-expect-error title is text, not a condition
    Tweet.select().where(Tweet.content);
    // @ts-expect-error a count is not a condition
    Tweet.select(Tweet.user).groupBy(Tweet.user).having(fn.count());
    // @ts-expect-error likes is not a condition
    Tweet.get(Tweet.likes);
    // @ts-expect-error a join condition is boolean
    Tweet.select(Tweet, User).join(User, { on: Tweet.user });
    // @ts-expect-error and() takes conditions
    and(Tweet.likes.gt(1), Tweet.content);
  });

  it('accepts conditions, boolean columns and raw SQL', () => {
    Tweet.select().where(Tweet.likes.gt(1), User.isAdmin, sql`true`, or(Tweet.likes.lt(0), not(User.isAdmin)));
    Tweet.select(Tweet.user).groupBy(Tweet.user).having(fn.count().gt(2));
    Tweet.select(Tweet, User).join(User, { on: Tweet.user.eq(User.id) });
  });
});
