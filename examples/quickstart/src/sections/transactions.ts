import { UniqueViolationError } from '@pewit/core';
import { type Tour, withStatements } from '../context.js';
import { bold, dim, red, result, say } from '../style.js';

/** A savepoint undoes only the inner block that failed; the outer transaction keeps its work and commits. */
export async function transactions({ db, User }: Tour): Promise<void> {
  const { statements } = await withStatements(db, () =>
    db.atomic(async () => {
      await User.create({ username: 'ivan' });
      try {
        await db.atomic(async () => {
          await User.create({ username: 'judy' });
          await User.create({ username: 'bob' }); // bob exists: unique violation
        });
      } catch (error) {
        if (!(error instanceof UniqueViolationError)) throw error;
        say(`${red('inner block failed:')} ${error.constructor.name} (${error.message.split('\n')[0]})`);
      }
      await User.create({ username: 'mallory' });
    }),
  );
  for (const event of statements) console.log(`    ${event.error ? red(event.sql) : dim(event.sql)}`);
  const kept = await User.select()
    .where(User.username.in(['ivan', 'judy', 'mallory']))
    .orderBy(User.username);
  result(`saved: ${bold(kept.map((u) => u.username).join(', '))}; judy was rolled back with her savepoint`);
}
