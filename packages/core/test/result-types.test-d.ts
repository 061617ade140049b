import { describe, expectTypeOf, it } from 'vitest';
import {
  BigAutoField,
  BigIntegerField,
  CompositeKey,
  DecimalField,
  type Expression,
  FloatField,
  ForeignKeyField,
  type FunctionExpression,
  fn,
  IntegerField,
  type KeyOf,
  model,
  TextField,
} from '../src/index.js';
import { Tweet, User } from './models.js';

class Sample extends model('rt_samples', {
  id: BigAutoField(),
  n: IntegerField(),
  big: BigIntegerField({ null: true }),
  ratio: FloatField(),
  amount: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  label: TextField(),
}) {}
class Pair extends model(
  'rt_pairs',
  { a: ForeignKeyField(() => User), b: ForeignKeyField(() => Sample), note: TextField({ null: true }) },
  { primaryKey: CompositeKey('a', 'b') },
) {}
class Keyless extends model('rt_keyless', { label: TextField() }) {}

describe('insert() resolves to the primary key', () => {
  it('a serial, a bigserial, a composite key (a tuple in key order), no key', async () => {
    expectTypeOf(await User.insert({ username: 'a' })).toEqualTypeOf<number>();
    expectTypeOf(await Sample.insert({ n: 1, ratio: 1, amount: '1', label: 'x' })).toEqualTypeOf<bigint>();
    expectTypeOf(await Pair.insert({ a: 1, b: 2n })).toEqualTypeOf<[number, bigint]>();
    expectTypeOf(await Keyless.insert({ label: 'x' })).toEqualTypeOf<null>();
    expectTypeOf(User.insertSync({ username: 'a' })).toEqualTypeOf<number>();
    expectTypeOf<KeyOf<typeof Pair>>().toEqualTypeOf<[number, bigint]>();
  });

  it('| null only when onConflict may skip the row; insertMany counts; returning gives rows', async () => {
    expectTypeOf(await User.insert({ username: 'a' }).onConflict({ ignore: true })).toEqualTypeOf<number | null>();
    expectTypeOf(await User.insert({ username: 'a' }).onConflict({ target: [User.username], update: { age: 1 } })).toEqualTypeOf<number>();
    expectTypeOf(await User.insertMany([{ username: 'a' }]).onConflict({ ignore: true })).toEqualTypeOf<number>();
    expectTypeOf(await User.insert({ username: 'a' }).returning()).toEqualTypeOf<User[]>();
  });
});

describe('scalar(), count() and aggregates', () => {
  it('scalar() is the selected expression, or null', async () => {
    expectTypeOf(await Tweet.select(fn.max(Tweet.likes)).scalar()).toEqualTypeOf<number | null>();
    expectTypeOf(await User.select(User.username).scalar()).toEqualTypeOf<string | null>();
    expectTypeOf(await User.select(User.email).scalarSync()).toEqualTypeOf<string | null>();
    expectTypeOf(await Tweet.select(fn.count()).scalar()).toEqualTypeOf<number | null>();
    expectTypeOf(await Tweet.select(Tweet.user).scalar()).toEqualTypeOf<number | null>();
    expectTypeOf(await User.select().scalar<number>()).toEqualTypeOf<number | null>();
    expectTypeOf(await Tweet.select().count()).toEqualTypeOf<number>();
  });

  it('aggregates are typed as PostgreSQL returns them and pewit decodes them', () => {
    // sum(integer) is int8: a number while exact, a bigint beyond 2^53
    expectTypeOf(fn.sum(Sample.n)).toEqualTypeOf<FunctionExpression<number | bigint | null>>();
    // sum(bigint) and sum(numeric) are numeric: exact strings; sum(double precision) a number
    expectTypeOf(fn.sum(Sample.big)).toEqualTypeOf<FunctionExpression<string | null>>();
    expectTypeOf(fn.sum(Sample.amount)).toEqualTypeOf<FunctionExpression<string | null>>();
    expectTypeOf(fn.sum(Sample.ratio)).toEqualTypeOf<FunctionExpression<number | null>>();
    expectTypeOf(fn.avg(Sample.n)).toEqualTypeOf<FunctionExpression<string | null>>();
    expectTypeOf(fn.avg(Sample.ratio)).toEqualTypeOf<FunctionExpression<number | null>>();
    // max of a bigint column is an int8 result: decoded as a number while exact
    expectTypeOf(fn.max(Sample.big)).toEqualTypeOf<FunctionExpression<number | bigint | null>>();
    expectTypeOf(fn.min(Sample.label)).toEqualTypeOf<FunctionExpression<string | null>>();
    expectTypeOf(fn.count(Sample.id)).toEqualTypeOf<FunctionExpression<number>>();
  });

  it('fn.<name><T>() is Expression<T>, unknown when not given, never any', () => {
    // built-in names are declared, so they compile under noUncheckedIndexedAccess (on in this project)
    expectTypeOf(fn.initcap<string>(User.username)).toEqualTypeOf<FunctionExpression<string>>();
    expectTypeOf(fn.initcap(User.username)).toEqualTypeOf<FunctionExpression<unknown>>();
    // an extension's function goes through the index signature
    expectTypeOf(fn.similarity!<number>(User.username, 'ada')).toEqualTypeOf<FunctionExpression<number>>();
    expectTypeOf(fn.abs<number>(Tweet.likes)).toEqualTypeOf<FunctionExpression<number>>();
    expectTypeOf(fn.greatest(Tweet.likes, 1)).toEqualTypeOf<FunctionExpression<unknown>>();
    expectTypeOf(fn.to_char<string>(Tweet.likes, '999')).toExtend<Expression<string>>();
    // not any: an unknown result cannot be used as a number
    // @ts-expect-error unknown is not a number
    const n: number = fn.abs(Tweet.likes).__type;
    void n;
  });
});
