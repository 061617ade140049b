import { AutoField, CharField, ForeignKeyField, IntegerField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { startEmbeddedServer } from '@pewit/test-support/embedded-server';

/**
 * The pewit tour: blocking set-up at start-up, async queries afterwards.
 * Runs against DATABASE_URL, or a throwaway embedded PostgreSQL.
 */
const server = process.env.DATABASE_URL ? undefined : await startEmbeddedServer();
const db = new PostgresqlDatabase(process.env.DATABASE_URL ?? (server as { url: string }).url);

class User extends model('tour_users', { id: AutoField(), username: CharField({ maxLength: 50, unique: true }) }, { database: db }) {}
class Tweet extends model(
  'tour_tweets',
  { id: AutoField(), user: ForeignKeyField(() => User, { onDelete: 'CASCADE' }), content: TextField(), likes: IntegerField({ default: 0 }) },
  { database: db },
) {}

try {
  // Set-up code may block: no await needed.
  db.dropTablesSync([User, Tweet], { safe: true });
  db.createTablesSync([User, Tweet]);
  const alice = User.createSync({ username: 'alice' });
  console.log(`created ${alice.username} (id ${alice.id}) synchronously`);

  // Request-time code stays async.
  await Tweet.insertMany([
    { user: alice, content: 'hello, pewit', likes: 3 },
    { user: alice, content: 'lazy queries, two ways to run them', likes: 12 },
  ]);
  const popular = Tweet.select(Tweet, User).join(User).where(Tweet.likes.gte(10));
  console.log('SQL:', popular.sql().text);
  for (const tweet of await popular) console.log(`  ${tweet.user.username}: ${tweet.content} (${tweet.likes} likes)`);
  console.log(`${await Tweet.select().count()} tweets in total`);
} finally {
  await db.close();
  await server?.stop();
}
