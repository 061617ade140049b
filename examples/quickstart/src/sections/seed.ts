import type { Tour } from '../context.js';
import { progressBar } from '../progress.js';
import { result } from '../style.js';

export const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
export const TWEETS = 2000;
const BATCH = 250;

/** Bulk inserts in batches: one multi-row INSERT per batch. */
export async function seed({ User, Tweet }: Tour): Promise<void> {
  await User.insertMany(USERS.filter((name) => name !== 'alice').map((username) => ({ username })));
  const users = await User.select().orderBy(User.id);
  const bar = progressBar('seeding tweets', TWEETS);
  for (let start = 0; start < TWEETS; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(start + BATCH, TWEETS); i++) {
      // Deterministic "random" likes so every run prints the same figures.
      rows.push({ user: users[i % users.length]!, content: `tweet #${i + 1}`, likes: (i * 37) % 101 });
    }
    await Tweet.insertMany(rows);
    bar.update(start + rows.length);
  }
  result(`${users.length} users and ${TWEETS} tweets inserted with Tweet.insertMany(), ${TWEETS / BATCH} statements`);
}
