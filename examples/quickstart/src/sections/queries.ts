import { fn } from '@pewit/core';
import type { Tour } from '../context.js';
import { bold, result, say, showSql } from '../style.js';

/** Request-time code is async: `await` a query to run it. Building one sends nothing. */
export async function asyncQueries({ User, Tweet }: Tour): Promise<void> {
  const popular = Tweet.select().where(Tweet.likes.gte(95));
  const { text, values } = popular.sql();
  say('a query is a value: building it sends nothing, .sql() shows what it would send');
  showSql(text, values);
  result(`await popular.count() → ${bold(String(await popular.count()))} tweets with 95 likes or more`);

  const bob = await User.get(User.username.eq('bob'));
  result(`await User.get(User.username.eq('bob')) → ${bob.username} (id ${bob.id})`);

  const top = await Tweet.select().orderBy(Tweet.likes.desc(), Tweet.id).limit(3);
  result(`top 3 by likes: ${top.map((t) => `"${t.content}" (${t.likes})`).join(', ')}`);

  const total = fn.sum(Tweet.likes);
  const perUser = Tweet.select(User.username, total.as('total')).join(User).groupBy(User.username).orderBy(total.desc()).limit(2).dicts();
  showSql(perUser.sql().text, perUser.sql().values);
  for (const row of await perUser) result(`${String(row.username)}: ${String(row.total)} likes in total`);
}
