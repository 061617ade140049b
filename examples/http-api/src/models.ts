import { AutoField, CharField, type Database, ForeignKeyField, IntegerField, model, type SelectQuery } from '@pewit/core';

/** The service's models, bound to `db`. */
function defineModels(db: Database) {
  class User extends model('users', { id: AutoField(), username: CharField({ maxLength: 30, unique: true }) }, { database: db }) {
    declare readonly tweets: SelectQuery<Tweet>;
  }
  class Tweet extends model(
    'tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User, { backref: 'tweets', onDelete: 'CASCADE' }),
      content: CharField({ maxLength: 280 }),
      likes: IntegerField({ default: 0 }),
    },
    // The same text twice from one user is a duplicate post: POST /tweets answers 409.
    { database: db, indexes: [{ fields: ['user', 'content'], unique: true }] },
  ) {}
  return { User, Tweet };
}

export type Models = ReturnType<typeof defineModels>;

const byDatabase = new WeakMap<Database, Models>();

/** The models bound to `db`, defined once per database. */
export function modelsFor(db: Database): Models {
  let models = byDatabase.get(db);
  if (!models) {
    models = defineModels(db);
    byDatabase.set(db, models);
  }
  return models;
}

/** Creates the tables and indexes that are missing (`CREATE TABLE IF NOT EXISTS …`). */
export async function createSchema(db: Database): Promise<void> {
  const { User, Tweet } = modelsFor(db);
  await db.createTables([User, Tweet], { safe: true });
}
