import { AutoField, CharField, IntegerField, model, TextField } from '@pewit/core';

/** The models as the application shipped them: `createTables` made these tables. */
export class Account extends model('example_accounts', {
  id: AutoField(),
  username: CharField({ maxLength: 50, unique: true }),
  fullname: TextField(),
  age: IntegerField({ null: true }),
}) {}

export const models = [Account];
