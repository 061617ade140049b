/**
 * W8 in a process of its own, so peak RSS belongs to one target's stream and
 * nothing else: `node stream-child.js <target> <url>` prints one JSON line
 * `{ rows, ms, baselineMb, peakMb }`. Peak is sampled every 1,000 rows and
 * cross-checked with the kernel's high-water mark (maxRSS).
 */
import { performance } from 'node:perf_hooks';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { POOL_SIZE } from './config.js';
import { kyselyDatabase } from './targets/kysely.js';
import { pewitModels } from './targets/pewit.js';

const BATCH = 1_000;
const [target, url] = process.argv.slice(2) as [string, string];
const mb = (bytes: number) => bytes / 1024 / 1024;

type Stream = { warm(): Promise<void>; run(onRow: (row: unknown) => void): Promise<void>; close(): Promise<void> };

function pewitStream(): Stream {
  const db = new PooledPostgresqlDatabase(url, { max: POOL_SIZE });
  const { Post } = pewitModels(db);
  return {
    warm: async () => void (await Post.select().limit(1)),
    async run(onRow) {
      for await (const post of Post.select().orderBy(Post.id).iterator({ batchSize: BATCH })) onRow(post);
    },
    close: () => db.close(),
  };
}

function rawStream(): Stream {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  return {
    warm: async () => void (await pool.query('SELECT * FROM bench_posts LIMIT 1')),
    async run(onRow) {
      const client = await pool.connect();
      try {
        const cursor = client.query(new Cursor('SELECT id, author_id, title, body, views, created_at FROM bench_posts ORDER BY id'));
        for (;;) {
          const rows = await cursor.read(BATCH);
          if (rows.length === 0) break;
          for (const row of rows) onRow(row);
        }
        await cursor.close();
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function kyselyStream(): Stream {
  const db = kyselyDatabase(url);
  return {
    warm: async () => void (await db.selectFrom('bench_posts').selectAll().limit(1).execute()),
    async run(onRow) {
      for await (const row of db.selectFrom('bench_posts').selectAll().orderBy('id').stream(BATCH)) onRow(row);
    },
    close: () => db.destroy(),
  };
}

const streams: Record<string, () => Stream> = { pewit: pewitStream, 'raw pg': rawStream, Kysely: kyselyStream };
const make = streams[target];
if (!make) throw new Error(`no streaming target named ${JSON.stringify(target)}; expected one of ${Object.keys(streams).join(', ')}`);
const stream = make();
await stream.warm();
const baseline = process.memoryUsage.rss();
let peak = baseline;
let rows = 0;
let lastId = 0;
const start = performance.now();
await stream.run((row) => {
  // Touch the row so hydration cannot be skipped, and check the order.
  const id = (row as { id: number }).id;
  if (id <= lastId) throw new Error(`rows out of order: ${id} after ${lastId}`);
  lastId = id;
  if (++rows % BATCH === 0) peak = Math.max(peak, process.memoryUsage.rss());
});
const ms = performance.now() - start;
peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
await stream.close();
console.log(JSON.stringify({ rows, ms, baselineMb: mb(baseline), peakMb: mb(peak) }));
