import { AutoField, BooleanField, CharField, type Database, ForeignKeyField, IntegerField, model, TextField } from '@pewit/core';

/** The spec's example models, bound to the given database. */
export function twitterModels(db: Database) {
  class User extends model(
    'users',
    {
      id: AutoField(),
      username: CharField({ maxLength: 50, unique: true }),
      email: TextField({ null: true }),
      isAdmin: BooleanField({ default: false }),
    },
    { database: db },
  ) {
    get label() {
      return `@${this.username}`;
    }
  }
  class Tweet extends model(
    'tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User, { backref: 'tweets', onDelete: 'CASCADE' }),
      content: TextField(),
      likes: IntegerField({ default: 0 }),
    },
    { database: db, indexes: [{ fields: ['user', 'likes'] }] },
  ) {}
  return { User, Tweet };
}
