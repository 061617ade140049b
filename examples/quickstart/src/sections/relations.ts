import { type Tour, withStatements } from '../context.js';
import { bold, result, say, showSql } from '../style.js';

/** A join builds the related instance from the same row: one statement, `tweet.user` already there. */
export async function join({ db, User, Tweet }: Tour): Promise<void> {
  const query = Tweet.select(Tweet, User).join(User).where(Tweet.likes.eq(100)).orderBy(Tweet.id).limit(3);
  showSql(query.sql().text, query.sql().values);
  const { value: tweets, statements } = await withStatements(db, () => query.all());
  for (const tweet of tweets) result(`${tweet.user.username}: ${tweet.content} (${tweet.likes} likes)`);
  say(`${bold(String(statements.length))} statement; reading tweet.user ran no query`);
}

/** Prefetch loads children (or parents) with one extra statement per level, whatever the number of rows. */
export async function prefetch({ db, User, Tweet }: Tour): Promise<void> {
  const { value: users, statements } = await withStatements(db, () => User.select().orderBy(User.username).prefetch(Tweet).all());
  for (const event of statements)
    showSql(
      event.sql,
      event.params.map((p) => (Array.isArray(p) ? `[${p.length} ids]` : p)),
    );
  for (const user of users.slice(0, 3)) {
    let count = 0;
    let likes = 0;
    for (const tweet of user.tweets) {
      count++;
      likes += tweet.likes;
    }
    result(`${user.username}: ${count} tweets, ${likes} likes`);
  }
  say(`${bold(String(statements.length))} statements (counted with db.on('query')) for ${users.length} users and all their tweets`);
}
