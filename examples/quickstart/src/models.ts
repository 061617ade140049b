import { AutoField, CharField, type Database, ForeignKeyField, IntegerField, model, type SelectQuery, TextField } from '@pewit/core';

/** The tour's two models, bound to `db`. */
export function defineModels(db: Database) {
  // `name` is a column like any other: User.c.name is its typed column (User.name stays the class's name).
  class User extends model(
    'tour_users',
    { id: AutoField(), username: CharField({ maxLength: 50, unique: true }), name: TextField({ null: true }) },
    { database: db },
  ) {
    declare readonly tweets: SelectQuery<Tweet>;
  }
  class Tweet extends model(
    'tour_tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User, { backref: 'tweets', onDelete: 'CASCADE' }),
      content: TextField(),
      likes: IntegerField({ default: 0 }),
    },
    { database: db },
  ) {}
  return { User, Tweet };
}

export type TourModels = ReturnType<typeof defineModels>;
