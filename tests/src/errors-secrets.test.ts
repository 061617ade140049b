import { inspect } from 'node:util';
import { AutoField, connect, type Database, DatabaseError, model, setParamsInMessages, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { enableWarnMode } from '@pewit/warn-mode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const PASSWORD = 'Sup3r-s3cret-pw-7781';
const ROLE = `pewit_secret_${process.pid}`;

/** Every way a value can be printed or logged; the scan looks for the password in all of them. */
function outputs(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {}
  let cause = (value as { cause?: unknown } | null)?.cause;
  for (let i = 0; cause !== undefined && i < 5; i++) {
    out.push(inspect(cause, { depth: 10, showHidden: true }), String(cause), JSON.stringify(cause) ?? '');
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return out;
}

function expectNoPassword(value: unknown): void {
  for (const text of outputs(value)) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
  }
}

function withCredentials(url: string, changes: { port?: string; database?: string; user?: string } = {}): string {
  const u = new URL(url);
  u.username = changes.user ?? ROLE;
  u.password = PASSWORD;
  if (changes.port) {
    u.hostname = '127.0.0.1';
    u.port = changes.port;
  }
  if (changes.database) u.pathname = `/${changes.database}`;
  return u.toString();
}

const admin = () => new pg.Client({ connectionString: database.url() });

beforeAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`CREATE ROLE "${ROLE}" LOGIN PASSWORD '${PASSWORD}'`);
  await c.query(`GRANT ALL ON SCHEMA public TO "${ROLE}"`);
  await c.end();
});
afterAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`DROP OWNED BY "${ROLE}"`);
  await c.query(`DROP ROLE IF EXISTS "${ROLE}"`);
  await c.end();
});

const backends = {
  single: (config: string | pg.ClientConfig) => new PostgresqlDatabase(config),
  pooled: (config: string | pg.ClientConfig) => new PooledPostgresqlDatabase(config, { max: 2 }),
} as const;

describe.each(Object.keys(backends) as (keyof typeof backends)[])('no secret leaves (%s backend)', (kind) => {
  const opened: Database[] = [];
  const open = (config: string | pg.ClientConfig) => {
    const db = backends[kind](config);
    opened.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
  });

  it('a working connection: the database, its query events, errors and warn-mode lines never show the password', async () => {
    const db = open(withCredentials(database.url()));
    const events: unknown[] = [];
    db.on('query', (e) => events.push(e));
    const logged: string[] = [];
    const warn = enableWarnMode(db, { logger: { warn: (m: string) => logged.push(m) } });
    class Post extends model(`secret_posts_${kind}`, { id: AutoField(), title: TextField() }, { database: db }) {}
    await db.createTables([Post]);
    const post = await Post.create({ title: 'hello' });
    Post.getByIdSync(post.id); // a blocking evaluation: the worker connection, and a warn-mode report
    const failed = await db.execute(sql`SELECT nope FROM nowhere`).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DatabaseError);
    warn.disable();
    expect(logged.length).toBeGreaterThan(0);
    for (const value of [db, (db as PostgresqlDatabase).config, failed, ...events, ...logged]) expectNoPassword(value);
    expect(inspect(db)).toContain(ROLE);
  });

  it('a connection that failed (closed port): the error, its cause and the database never show the password', async () => {
    const db = open(withCredentials(database.url(), { port: '1' }));
    const error = await db.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    const blocking = (() => {
      try {
        db.executeSync(sql`SELECT 1`);
      } catch (e) {
        return e;
      }
    })();
    expect(blocking).toBeInstanceOf(DatabaseError);
    for (const value of [db, error, blocking]) expectNoPassword(value);
  });

  it('a connection that failed (unknown database), from an options object', async () => {
    const u = new URL(database.url());
    const db = open({ host: u.hostname, port: Number(u.port), user: ROLE, password: PASSWORD, database: 'no_such_db_for_secrets' });
    const error = await db.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    for (const value of [db, error, (db as PostgresqlDatabase).config]) expectNoPassword(value);
  });

  it('a malformed URL: neither the error of the first query nor its cause carries the password', async () => {
    const db = open(`postgres://${ROLE}:${PASSWORD}@localhost:notaport/x`);
    const error = await db.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    for (const value of [db, error]) expectNoPassword(value);
  });
});

describe('connect(url)', () => {
  it('a malformed URL: the TypeError and its cause (new URL()’s input) are redacted', async () => {
    const error = await connect(`postgres://${ROLE}:${PASSWORD}@localhost:notaport/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toBeDefined();
    expectNoPassword(error);
  });

  it('a refused server: an OperationalError, without the password', async () => {
    const db = await connect(withCredentials(database.url(), { port: '1' }));
    try {
      const error = await db.connect().catch((e: unknown) => e);
      expect((error as Error).name).toBe('OperationalError');
      expectNoPassword(error);
      expectNoPassword(db);
    } finally {
      await db.close();
    }
  });
});

describe('parameters in messages', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    setParamsInMessages('truncated');
    await Promise.all(opened.map((db) => db.close()));
  });

  it('DoesNotExist cuts long values short, hides them on request, and keeps them as params', async () => {
    const db = new PostgresqlDatabase(database.url());
    opened.push(db);
    class Doc extends model('secret_docs', { id: AutoField(), body: TextField() }, { database: db }) {}
    await db.createTables([Doc]);
    const token = `tok_${'x'.repeat(500)}`;
    const error = (await Doc.get(Doc.body.eq(token)).catch((e: unknown) => e)) as InstanceType<typeof Doc.DoesNotExist>;
    expect(error).toBeInstanceOf(Doc.DoesNotExist);
    expect(error.message).not.toContain(token);
    expect(error.message).toContain('(504 chars)');
    expect(error.params).toContain(token);
    // Each value is cut to 40 characters, and at most 10 values are shown.
    expect(error.message).toContain(JSON.stringify(`${token.slice(0, 40)}…(504 chars)`));
    const twelve = Array.from({ length: 12 }, (_, i) => `v${i}`);
    const many = (await Doc.get(Doc.body.in(twelve)).catch((e: unknown) => e)) as InstanceType<typeof Doc.DoesNotExist>;
    expect(many.message).toMatch(/\["v0","v1","v2","v3","v4","v5","v6","v7","v8","v9",…\(3 more\)\]$/);
    expect(many.params).toEqual([...twelve, 1]);
    setParamsInMessages('hidden');
    const hidden = (await Doc.get(Doc.body.eq('alice@example.com')).catch((e: unknown) => e)) as Error;
    expect(hidden.message).not.toContain('alice@example.com');
    expect(hidden.message).toContain('parameters hidden');
  });

  it('DatabaseError carries params as a property, not in its message or its printed form', async () => {
    const db = new PostgresqlDatabase(database.url());
    opened.push(db);
    const error = (await db.execute(sql`SELECT ${'my-api-token-123'}::text AS t, 1 / 0 AS boom`).catch((e: unknown) => e)) as DatabaseError;
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.params).toEqual(['my-api-token-123']);
    expect(error.message).not.toContain('my-api-token-123');
    expect(JSON.stringify(error)).not.toContain('my-api-token-123');
  });
});
