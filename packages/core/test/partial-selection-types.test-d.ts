import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, CharField, ForeignKeyField, fn, type Model, model, TextField } from '../src/index.js';

class Account extends model('ps_accounts', {
  id: AutoField(),
  username: CharField({ maxLength: 40 }),
  passwordHash: TextField(),
}) {}

class Entry extends model('ps_entries', {
  id: AutoField(),
  author: ForeignKeyField(() => Account),
  reviewer: ForeignKeyField(() => Account, { null: true }),
  title: TextField(),
}) {}

describe('a joined model selected in part is typed with the selected fields only', () => {
  it('gives the joined instance only the selected columns', async () => {
    const [entry] = await Entry.select(Entry, Account.id, Account.username).join(Account, { on: Entry.author.eq(Account.id) });
    expectTypeOf(entry!.author.username).toEqualTypeOf<string>();
    expectTypeOf(entry!.author.id).toEqualTypeOf<number>();
    // @ts-expect-error the hash was not selected: reading it would give undefined
    entry!.author.passwordHash;
    // the model's own columns and methods stay
    expectTypeOf(entry!.title).toEqualTypeOf<string>();
    expectTypeOf(entry!.authorId).toEqualTypeOf<number>();
    expectTypeOf(entry!.author.save).toEqualTypeOf<Model['save']>();
  });

  it('keeps the nullability of the foreign key', async () => {
    const [entry] = await Entry.select(Entry, Account.username).join(Account, { on: Entry.reviewer.eq(Account.id) });
    expectTypeOf(entry!.reviewer!.username).toEqualTypeOf<string>();
    // @ts-expect-error nullable: a row without reviewer has null
    entry!.reviewer.username;
    // @ts-expect-error not selected
    entry!.reviewer!.passwordHash;
  });

  it('keeps the whole model when the model itself is selected', async () => {
    const [whole] = await Entry.select(Entry, Account).join(Account, { on: Entry.author.eq(Account.id) });
    expectTypeOf(whole!.author).toEqualTypeOf<Account>();
    expectTypeOf(whole!.author.passwordHash).toEqualTypeOf<string>();
    expectTypeOf(await Entry.select(Entry.id, Entry.title)).toEqualTypeOf<Entry[]>();
    const [aliased] = await Entry.select(Entry, Account.username, fn.count(Entry.id).as('n')).join(Account, {
      on: Entry.author.eq(Account.id),
    });
    expectTypeOf(aliased!.n).toEqualTypeOf<number>();
    // @ts-expect-error not selected
    aliased!.author.passwordHash;
  });
});
