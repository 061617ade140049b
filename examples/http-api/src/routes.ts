import type { IncomingMessage } from 'node:http';
import { HttpError, readJsonObject } from './http.js';
import type { Models } from './models.js';

/** What a handler answers: a status and a JSON body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

type Tweet = InstanceType<Models['Tweet']>;
const tweetJson = (tweet: Tweet) => ({ id: tweet.id, userId: tweet.userId, content: tweet.content, likes: tweet.likes });

/** GET /users: every user, by name. */
export async function listUsers({ User }: Models): Promise<Reply> {
  const users = await User.select().orderBy(User.username);
  return { status: 200, body: users.map((user) => ({ id: user.id, username: user.username })) };
}

/** POST /users `{ username }`: 201, 400 for a bad username, 409 when it is taken. */
export async function createUser({ User }: Models, request: IncomingMessage): Promise<Reply> {
  const body = await readJsonObject(request);
  const user = await User.create({ username: body.username as string });
  return { status: 201, body: { id: user.id, username: user.username } };
}

/** GET /users/:id/tweets: one user and their tweets, two statements however many tweets (prefetch). */
export async function userTweets({ User, Tweet }: Models, id: number): Promise<Reply> {
  const [user] = await User.select().where(User.id.eq(id)).prefetch(Tweet.select().orderBy(Tweet.id));
  if (!user) throw new HttpError(404, `no user with id ${id}`);
  // user.tweets and tweet.user were both loaded by the prefetch: reading them sends nothing.
  const tweets = [...user.tweets].map((tweet) => ({ ...tweetJson(tweet), author: tweet.user.username }));
  return { status: 200, body: { id: user.id, username: user.username, tweets } };
}

/** POST /tweets `{ userId, content, likes? }`: pewit validates the values (400), the database the rest (409, 422). */
export async function createTweet({ Tweet }: Models, request: IncomingMessage): Promise<Reply> {
  const body = await readJsonObject(request);
  // Passed through unchecked on purpose: pewit validates each value against its field and throws ValidationError.
  const tweet = await Tweet.create({ user: body.userId as number, content: body.content as string, likes: body.likes as number | undefined });
  return { status: 201, body: tweetJson(tweet) };
}
