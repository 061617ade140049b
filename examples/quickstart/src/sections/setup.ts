import type { Tour } from '../context.js';
import { result, say } from '../style.js';

/** Start-up code may block: scripts and migrations read top to bottom, no `await`. */
export function createSchema({ db, User, Tweet }: Tour): void {
  db.dropTablesSync([User, Tweet], { safe: true });
  db.createTablesSync([User, Tweet]);
  say('db.createTablesSync([User, Tweet])  (blocking, fine at start-up)');
  const alice = User.createSync({ username: 'alice', name: 'Alice Liddell' });
  result(`User.createSync() created ${alice.username} (${alice.name}) with id ${alice.id}, no await needed`);
  const found = User.getSync(User.c.name.eq('Alice Liddell'));
  result(`User.getSync(User.c.name.eq(…)) found ${found.username}: every column name works, even name`);
}
