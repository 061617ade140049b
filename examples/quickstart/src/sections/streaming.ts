import type { Tour } from '../context.js';
import { bold, result, say } from '../style.js';

/** A server-side cursor: rows arrive `batchSize` at a time, so memory stays flat on large tables. */
export async function streaming({ Tweet }: Tour): Promise<void> {
  say('for await (const tweet of Tweet.select().orderBy(Tweet.id).iterator({ batchSize: 500 }))');
  let rows = 0;
  let likes = 0;
  for await (const tweet of Tweet.select().orderBy(Tweet.id).iterator({ batchSize: 500 })) {
    rows++;
    likes += tweet.likes;
  }
  result(`streamed ${bold(String(rows))} tweets (${likes} likes in total), holding at most 500 in memory`);
}
