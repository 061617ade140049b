import pg from 'pg';
import { POOL_SIZE } from '../config.js';
import type { NewPost, Target } from '../target.js';

const USER_COLUMNS = 'id, username, email, created_at';
const POST_COLUMNS = 'id, author_id, title, body, views, created_at';

/**
 * Raw node-postgres: `pool.query` with parameterized SQL and its default row objects. `prepared` is the hand-tuned
 * form: every statement named (pg prepares it once per connection, then sends only Bind/Execute) and W5 as one array
 * per column (`INSERT … SELECT FROM unnest(…)`) instead of a multi-row VALUES of 50,000 parameters.
 */
export function rawPgTarget(url: string, { prepared = false } = {}): Target {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  const query = (on: pg.Pool | pg.PoolClient, name: string, text: string, values?: unknown[]) => on.query(prepared ? { name, text, values } : { text, values });
  return {
    name: prepared ? 'raw pg prepared' : 'raw pg',
    async pkLookup(id) {
      const { rows } = await query(pool, 'pk', `SELECT ${USER_COLUMNS} FROM bench_users WHERE id = $1`, [id]);
      return rows[0].id;
    },
    async page(offset) {
      const { rows } = await query(pool, 'page', `SELECT ${POST_COLUMNS} FROM bench_posts ORDER BY id LIMIT 1000 OFFSET $1`, [offset]);
      return rows.length;
    },
    async joinFilter(prefix) {
      const { rows } = await query(
        pool,
        'join',
        `SELECT p.id, p.author_id, p.title, p.body, p.views, p.created_at,
                u.id AS u_id, u.username AS u_username, u.email AS u_email, u.created_at AS u_created_at
         FROM bench_posts p JOIN bench_users u ON u.id = p.author_id
         WHERE u.username LIKE $1 ORDER BY p.id LIMIT 100`,
        [`${prefix}%`],
      );
      return rows.length;
    },
    async usersWithPosts(firstId) {
      const users = (await query(pool, 'users', `SELECT ${USER_COLUMNS} FROM bench_users WHERE id BETWEEN $1 AND $2 ORDER BY id`, [firstId, firstId + 99]))
        .rows;
      const byId = new Map<number, { posts: unknown[] }>();
      for (const user of users) {
        user.posts = [];
        byId.set(user.id, user);
      }
      const posts = (await query(pool, 'posts', `SELECT ${POST_COLUMNS} FROM bench_posts WHERE author_id = ANY($1)`, [[...byId.keys()]])).rows;
      for (const post of posts) byId.get(post.author_id)?.posts.push(post);
      return posts.length;
    },
    async insertManyRolledBack(rows: readonly NewPost[]) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (prepared) {
          await query(
            client,
            'insert',
            `INSERT INTO bench_posts (author_id, title, body, views, created_at)
             SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])`,
            [rows.map((r) => r.authorId), rows.map((r) => r.title), rows.map((r) => r.body), rows.map((r) => r.views), rows.map((r) => r.createdAt)],
          );
          return rows.length;
        }
        // One multi-row INSERT per 10,000 rows (50,000 parameters, under PostgreSQL's 65,535).
        for (let i = 0; i < rows.length; i += 10_000) {
          const chunk = rows.slice(i, i + 10_000);
          const params: unknown[] = [];
          const tuples: string[] = [];
          for (const r of chunk) {
            const n = params.length;
            tuples.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`);
            params.push(r.authorId, r.title, r.body, r.views, r.createdAt);
          }
          await client.query(`INSERT INTO bench_posts (author_id, title, body, views, created_at) VALUES ${tuples.join(', ')}`, params);
        }
        return rows.length;
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    },
    async updateInTransaction(id) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rowCount } = await query(client, 'update', 'UPDATE bench_posts SET views = views + 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
        return rowCount ?? 0;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
