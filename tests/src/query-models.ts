import { AutoField, BooleanField, CharField, type Database, ForeignKeyField, IntegerField, model, TextField } from '@pewit/core';

/** Models for the query-language tests, bound to `db`. */
export function queryModels(db: Database) {
  class User extends model(
    'users',
    {
      id: AutoField(),
      username: CharField({ maxLength: 50, unique: true }),
      age: IntegerField({ null: true }),
      isAdmin: BooleanField({ default: false }),
    },
    { database: db },
  ) {}
  class Tweet extends model(
    'tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User, { onDelete: 'CASCADE' }),
      content: TextField(),
      likes: IntegerField({ default: 0 }),
    },
    { database: db },
  ) {}
  class Category extends model('categories', { id: AutoField(), title: TextField(), parent: ForeignKeyField('self', { null: true }) }, { database: db }) {}
  class Archive extends model('archive', { id: AutoField(), text: TextField(), score: IntegerField() }, { database: db }) {}
  return { User, Tweet, Category, Archive };
}
