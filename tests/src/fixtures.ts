import { AutoField, BooleanField, CharField, type Database, ForeignKeyField, IntegerField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { afterAll, beforeAll } from 'vitest';

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

/** The models `twitterModels` defines. */
export type TwitterModels = ReturnType<typeof twitterModels>;

/**
 * Registers hooks that give a test file a PostgresqlDatabase on its own test
 * database, with the twitter tables created and seeded by `seed`; `assign`
 * receives the database and models once they exist. The database is closed
 * after the file's tests.
 */
export function useTwitterDatabase(
  url: () => string,
  seed: (models: TwitterModels) => Promise<unknown>,
  assign: (db: PostgresqlDatabase, models: TwitterModels) => void,
): void {
  let db: PostgresqlDatabase | undefined;
  beforeAll(async () => {
    db = new PostgresqlDatabase(url());
    const models = twitterModels(db);
    assign(db, models);
    await db.createTables([models.User, models.Tweet]);
    await seed(models);
  });
  afterAll(() => db?.close());
}
