import pg from 'pg';
import { POSTS, USERS } from './config.js';

/**
 * Creates users and posts and fills them server-side (generate_series), the
 * fastest seed there is. Names are `md5`-derived so a two-character prefix
 * selects about 1/256 of the users, which W3 relies on. Column names follow
 * pewit's conventions (snake_case, `<fk>_id`) so every target reads the same tables.
 */
export async function createSchema(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_posts, bench_users');
    await client.query(`CREATE TABLE bench_users (
      id serial PRIMARY KEY, username text NOT NULL, email text, created_at timestamptz NOT NULL)`);
    await client.query(`CREATE TABLE bench_posts (
      id serial PRIMARY KEY, author_id integer NOT NULL REFERENCES bench_users (id) ON DELETE CASCADE,
      title text NOT NULL, body text NOT NULL, views integer NOT NULL, created_at timestamptz NOT NULL)`);
    await client.query(
      `INSERT INTO bench_users (username, email, created_at)
       SELECT md5(g::text), 'user' || g || '@example.com', timestamptz '2024-01-01' + g * interval '1 minute'
       FROM generate_series(1, $1::int) AS g`,
      [USERS],
    );
    await client.query(
      `INSERT INTO bench_posts (author_id, title, body, views, created_at)
       SELECT (g - 1) % $2::int + 1, 'post ' || g, repeat('lorem ipsum ', 8), g % 1000, timestamptz '2024-01-01' + g * interval '1 second'
       FROM generate_series(1, $1::int) AS g`,
      [POSTS, USERS],
    );
    await client.query('CREATE INDEX bench_posts_author_id ON bench_posts (author_id)');
    await client.query('CREATE INDEX bench_users_username ON bench_users (username text_pattern_ops)');
    await client.query('ANALYZE bench_users, bench_posts');
  } finally {
    await client.end();
  }
}

/** Drops the benchmark tables. */
export async function dropSchema(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_posts, bench_users');
  } finally {
    await client.end();
  }
}

/** The server's version string. */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return String((await client.query('SHOW server_version')).rows[0].server_version);
  } finally {
    await client.end();
  }
}
