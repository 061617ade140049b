import { IN_FLIGHT, POSTS, scaled, USERS } from './config.js';
import type { NewPost, Target } from './target.js';

/** A workload: `ops` operations, each `op(target, i)`; `concurrency` in flight at once (1: sequential). */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly ops: number;
  readonly concurrency: number;
  op(target: Target, i: number): Promise<number>;
}

const insertRows: NewPost[] = Array.from({ length: 10_000 }, (_, i) => ({
  authorId: (i % USERS) + 1,
  title: `new post ${i}`,
  body: 'lorem ipsum '.repeat(8),
  views: i % 1000,
  createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 86_400)),
}));

/** Spreads keys over the table so no run hits only one page of it. */
const spread = (i: number, n: number) => ((i * 7_919) % n) + 1;

/** W1–W7 (W8, streaming, runs in a child process: see stream-child.ts). */
export const workloads: readonly Workload[] = [
  { id: 'W1', title: 'PK lookup, sequential', ops: scaled(5_000, 50), concurrency: 1, op: (t, i) => t.pkLookup(spread(i, USERS)) },
  { id: 'W2', title: '1,000 posts by id with offset, hydrated', ops: scaled(50, 5), concurrency: 1, op: (t, i) => t.page((i * 1_000) % (POSTS - 1_000)) },
  {
    id: 'W3',
    title: 'posts ⋈ authors, name prefix, ordered, limit 100',
    ops: scaled(200, 10),
    concurrency: 1,
    op: (t, i) => t.joinFilter(((i * 37) % 256).toString(16).padStart(2, '0')),
  },
  {
    // A one-character prefix selects 1/16 of the users: the server finds 100 posts at once, so pewit's own work per
    // joined row shows (W3's 1/256 hides it behind the server's time).
    id: 'W3b',
    title: 'posts ⋈ authors, wide prefix (1/16 of users), ordered, limit 100',
    ops: scaled(1_000, 20),
    concurrency: 1,
    op: (t, i) => t.joinFilter((i % 16).toString(16)),
  },
  {
    id: 'W4',
    title: '100 users with all their posts (prefetch)',
    ops: scaled(100, 5),
    concurrency: 1,
    op: (t, i) => t.usersWithPosts(((i * 100) % (USERS - 100)) + 1),
  },
  { id: 'W5', title: 'insertMany 10,000 posts, rolled back', ops: scaled(5, 2), concurrency: 1, op: (t) => t.insertManyRolledBack(insertRows) },
  {
    id: 'W6',
    title: `PK lookup, pool of 10, ${IN_FLIGHT} in flight`,
    ops: scaled(20_000, 200),
    concurrency: IN_FLIGHT,
    op: (t, i) => t.pkLookup(spread(i, USERS)),
  },
  { id: 'W7', title: 'update by PK, one transaction each', ops: scaled(2_000, 20), concurrency: 1, op: (t, i) => t.updateInTransaction(spread(i, POSTS)) },
];

/** Runs `ops` operations with `concurrency` in flight; returns the sum of their results. */
export async function runWorkload(w: Workload, target: Target, ops = w.ops): Promise<number> {
  let next = 0;
  let sum = 0;
  const worker = async () => {
    while (next < ops) {
      // Not `sum += await …`: that reads `sum` before awaiting and loses the other workers' additions.
      const value = await w.op(target, next++);
      sum += value;
    }
  };
  await Promise.all(Array.from({ length: Math.min(w.concurrency, ops) }, worker));
  return sum;
}
