import { describe, expectTypeOf, it } from 'vitest';
import {
  AutoField,
  BigAutoField,
  CharField,
  type FieldsOf,
  ForeignKeyField,
  type InsertData,
  IntegerField,
  model,
  TextField,
  UUIDField,
} from '../src/index.js';

/** Targets with three kinds of key, and a model referring to each (one nullable, one by a unique field). */
class Account extends model('fk_accounts', { id: BigAutoField(), login: CharField({ maxLength: 20, unique: true }) }) {}
class Device extends model('fk_devices', { serial: UUIDField({ primaryKey: true }), label: TextField() }) {}
class Team extends model('fk_teams', { id: AutoField(), name: TextField() }) {}
class Member extends model('fk_members', {
  id: AutoField(),
  team: ForeignKeyField(() => Team),
  account: ForeignKeyField(() => Account, { null: true }),
  device: ForeignKeyField(() => Device),
  byLogin: ForeignKeyField(() => Account, { field: 'login', null: true }),
  rank: IntegerField({ default: 0 }),
}) {}

describe('foreign-key raw values have the type of the key they reference', () => {
  it('on instances, `| null` only where the foreign key is nullable', () => {
    const member = new Member();
    expectTypeOf(member.teamId).toEqualTypeOf<number>();
    expectTypeOf(member.accountId).toEqualTypeOf<bigint | null>();
    expectTypeOf(member.deviceId).toEqualTypeOf<string>();
    expectTypeOf(member.byLoginId).toEqualTypeOf<string | null>();
  });

  it('in .dicts() and .tuples()', async () => {
    const dicts = await Member.select(Member.team, Member.account, Member.device).dicts();
    expectTypeOf(dicts).toEqualTypeOf<{ team: number; account: bigint | null; device: string }[]>();
    const whole = await Member.select().dicts();
    expectTypeOf(whole[0]!.byLogin).toEqualTypeOf<string | null>();
    const tuples = await Member.select(Member.team, Member.account).tuples();
    expectTypeOf(tuples).toEqualTypeOf<[number, bigint | null][]>();
  });

  it('in insert data: the target instance or its key, of the key type', () => {
    type Data = InsertData<FieldsOf<typeof Member>>;
    expectTypeOf<Data['team']>().toEqualTypeOf<Team | number>();
    expectTypeOf<Data['account']>().toEqualTypeOf<Account | bigint | number | null | undefined>();
    Member.insert({ team: 1, device: 'b0e4…' });
    // @ts-expect-error the team key is a number
    Member.insert({ team: 'one', device: 'x' });
    // @ts-expect-error the device key is a uuid string
    Member.insert({ team: 1, device: 7 });
    // @ts-expect-error team is required
    Member.insert({ device: 'x' });
  });

  it('in where operands', () => {
    Member.select().where(Member.team.eq(1), Member.account.eq(2n), Member.account.eq(null), Member.device.in(['a', 'b']));
    // @ts-expect-error the team key is a number
    Member.team.eq('1');
    // @ts-expect-error the device key is a string
    Member.device.eq(1);
    // @ts-expect-error a list of team keys holds numbers
    Member.team.in(['a']);
  });
});
