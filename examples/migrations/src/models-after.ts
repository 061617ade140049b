import { AutoField, CharField, DateTimeField, ForeignKeyField, model, sql, TextField } from '@pewit/core';

/**
 * The models after a change: `fullname` is now `fullName` in column `full_name` (a rename: its data must stay),
 * `age` is gone, `bio` and `joinedAt` are new, and accounts write notes.
 */
export class Account extends model('example_accounts', {
  id: AutoField(),
  username: CharField({ maxLength: 50, unique: true }),
  fullName: TextField({ columnName: 'full_name' }),
  bio: TextField({ null: true }),
  joinedAt: DateTimeField({ default: sql`now()` }),
}) {}

export class Note extends model('example_notes', {
  id: AutoField(),
  account: ForeignKeyField(() => Account, { onDelete: 'CASCADE' }),
  body: TextField(),
}) {}

export const models = [Account, Note];
