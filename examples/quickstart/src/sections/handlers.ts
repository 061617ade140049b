import type { TourModels } from '../models.js';

/**
 * Request handlers as a web app would write them. `timeline` has the classic
 * bug: `tweet.user` was never loaded, so each read blocks on a query (N+1).
 */
export async function timeline({ Tweet }: TourModels): Promise<string[]> {
  const tweets = await Tweet.select().orderBy(Tweet.likes.desc(), Tweet.id).limit(5);
  return tweets.map((tweet) => `${tweet.user.username}: ${tweet.content}`);
}

/** The fix for a list: prefetch the users, one extra statement in total. */
export async function timelineFixed({ Tweet, User }: TourModels): Promise<string[]> {
  const tweets = await Tweet.select().orderBy(Tweet.likes.desc(), Tweet.id).limit(5).prefetch(User);
  return tweets.map((tweet) => `${tweet.user.username}: ${tweet.content}`);
}

/** The fix for one instance: load the relation asynchronously. */
export async function showTweet({ Tweet }: TourModels, id: number): Promise<string> {
  const tweet = await Tweet.getById(id);
  const author = await tweet.load('user');
  return `${author.username}: ${tweet.content}`;
}
