import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AutoField, CharField, type Database, IntegerField, model, sql, UniqueViolationError } from '@pewit/core';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrument } from '../src/index.js';
import { PACKAGE_VERSION } from '../src/package-info.js';
import { childrenOf, statementSpans, useTracing } from './tracing.js';

type OpenedDatabase = Database & { close(): Promise<void> };

// Looks like a live API key: it must never reach a span, whatever statement carries it.
const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';

function defineItem(db: Database) {
  return class Item extends model(
    'otel_items',
    { id: AutoField(), owner: CharField({ maxLength: 80, unique: true }), token: CharField({ maxLength: 80, null: true }), size: IntegerField({ default: 0 }) },
    { database: db },
  ) {};
}

/**
 * The tracing claims of docs/scaling.md → Tracing, for one backend: every statement one CLIENT span with the
 * stable database attributes, parented to the caller's active span on both paths and in transactions, failures
 * with their SQLSTATE, no parameter value anywhere, and nothing after stop().
 */
export function describeInstrument(backend: string, open: (url: string) => OpenedDatabase): void {
  const database = useTestDatabase();
  const tracing = useTracing();
  let db: OpenedDatabase;
  let Item: ReturnType<typeof defineItem>;
  let stop: () => void;
  let server: { port: number };

  beforeAll(async () => {
    db = open(database.url());
    Item = defineItem(db);
    await db.createTables([Item]);
    const { rows } = await db.execute(sql`SELECT inet_server_port() AS port`);
    server = { port: Number(rows[0]?.port) };
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.execute(sql`TRUNCATE otel_items RESTART IDENTITY`);
    await Item.create({ owner: 'alice', token: SECRET, size: 1 });
    stop = instrument(db, { tracerProvider: tracing.provider });
    return () => stop();
  });

  const spans = () => statementSpans(tracing.spans());
  const only = (): ReadableSpan => {
    const all = spans();
    expect(all).toHaveLength(1);
    return all[0] as ReadableSpan;
  };

  describe(`instrument(${backend})`, () => {
    it('makes one CLIENT span per statement with the stable database attributes and pewit’s own', async () => {
      const query = Item.select().where(Item.owner.eq('alice'));
      expect(await query).toHaveLength(1);
      const span = only();
      expect(span.name).toBe('SELECT "otel_items"');
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toEqual({
        'db.system.name': 'postgresql',
        'db.namespace': database.name(),
        'db.operation.name': 'SELECT',
        'db.query.summary': 'SELECT "otel_items"',
        'db.query.text': query.sql().text,
        'server.address': new URL(database.url()).hostname,
        'server.port': server.port,
        'pewit.path': 'async',
        'pewit.server': 'primary',
      });
      expect(span.attributes['db.query.text']).toContain('"otel_items"."owner" = $1');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events).toEqual([]);
      expect(span.instrumentationScope).toMatchObject({ name: '@pewit/opentelemetry', version: PACKAGE_VERSION });
      expect(span.ended).toBe(true);
      // A root span here: nothing was active.
      expect(span.parentSpanContext).toBeUndefined();
    });

    it('names the server the statement ran on: server.port is the port the server itself reports', async () => {
      await db.execute(sql`SELECT 1`);
      expect(only().attributes['server.port']).toBe(Number(new URL(database.url()).port));
      expect(only().attributes['server.port']).toBe(server.port);
    });

    it('never records a parameter value: not in a where clause, a write, or a failure whose message quotes it', async () => {
      await Item.select().where(Item.token.eq(SECRET)).first();
      await Item.update({ size: 2 }).where(Item.token.eq(SECRET));
      await expect(db.execute(sql`SELECT ${SECRET}::integer AS n`)).rejects.toThrow(SECRET); // the server's message quotes it
      await expect(Item.create({ owner: 'alice', token: SECRET })).rejects.toBeInstanceOf(UniqueViolationError);
      const all = spans();
      expect(all.map((s) => s.attributes['db.operation.name'])).toEqual(['SELECT', 'UPDATE', 'SELECT', 'INSERT']);
      const cast = all[2] as ReadableSpan;
      expect(cast.attributes['error.type']).toBe('22P02');
      expect(cast.events[0]?.attributes?.['exception.message']).toBe('invalid input syntax for type integer: "[redacted]"');
      const recorded = JSON.stringify(all.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })));
      expect(recorded).not.toContain(SECRET);
      expect(recorded).not.toContain(SECRET.slice(0, 12));
    });

    it('parents each span to the span active where the query was awaited', async () => {
      const { span: parent } = await tracing.withSpan('GET /items', async () => {
        await Item.select();
        await Item.select().count();
      });
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => s.name)).toEqual(['SELECT "otel_items"', 'SELECT "otel_items"']);
      expect(statementSpans(tracing.spans())).toHaveLength(2);
    });

    it('keeps two concurrent requests apart: each parent gets its own statements', async () => {
      // Both requests insert before either goes on, so their statements interleave on every backend; the one that
      // arrives second releases the other, whose continuation must still carry its own context.
      let arrived = 0;
      let release = () => {};
      const bothInserted = new Promise<void>((resolve) => {
        release = resolve;
      });
      const request = (name: string, owner: string) =>
        tracing.withSpan(name, async () => {
          await Item.create({ owner });
          if (++arrived === 2) release();
          await bothInserted;
          await Item.select().where(Item.owner.eq(owner)).first();
          await db.execute(sql`SELECT pg_sleep(0.01)`);
        });
      const [a, b] = await Promise.all([request('request a', 'bob'), request('request b', 'carol')]);
      const all = tracing.spans();
      expect(a.span.spanContext().traceId).not.toBe(b.span.spanContext().traceId);
      for (const { span } of [a, b]) {
        expect(childrenOf(all, span).map((s) => s.attributes['db.operation.name'])).toEqual(['INSERT', 'SELECT', 'SELECT']);
      }
      expect(statementSpans(all)).toHaveLength(6);
    });

    it('parents blocking evaluations too (getSync, executeSync), with pewit.path blocking', async () => {
      const { span: parent } = await tracing.withSpan('job', () => {
        expect(Item.getSync(Item.owner.eq('alice')).owner).toBe('alice');
        db.executeSync(sql`SELECT 1 AS one`);
      });
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => [s.name, s.attributes['pewit.path']])).toEqual([
        ['SELECT "otel_items"', 'blocking'],
        ['SELECT', 'blocking'],
      ]);
      expect(children[0]?.attributes).toMatchObject({ 'server.port': server.port, 'db.namespace': database.name(), 'pewit.server': 'primary' });
    });

    it('traces transaction control: atomic() makes BEGIN, its statements, SAVEPOINT/RELEASE, COMMIT under the caller', async () => {
      const { span: parent } = await tracing.withSpan('transfer', () =>
        db.atomic(async () => {
          await Item.create({ owner: 'dave' });
          await db.atomic(async () => {
            await Item.update({ size: 5 }).where(Item.owner.eq('dave'));
          });
        }),
      );
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => s.attributes['db.operation.name'])).toEqual(['BEGIN', 'INSERT', 'SAVEPOINT', 'UPDATE', 'RELEASE', 'COMMIT']);
      expect(children.map((s) => s.name)).toEqual(['BEGIN', 'INSERT "otel_items"', 'SAVEPOINT', 'UPDATE "otel_items"', 'RELEASE', 'COMMIT']);
      expect(children.every((s) => s.kind === SpanKind.CLIENT && s.attributes['pewit.path'] === 'async')).toBe(true);
      expect(statementSpans(tracing.spans())).toHaveLength(6);
    });

    it('traces a blocking transaction: atomicSync() on the blocking path', async () => {
      const { span: parent } = await tracing.withSpan('script', () => db.atomicSync(() => Item.createSync({ owner: 'erin' })));
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => [s.attributes['db.operation.name'], s.attributes['pewit.path']])).toEqual([
        ['BEGIN', 'blocking'],
        ['INSERT', 'blocking'],
        ['COMMIT', 'blocking'],
      ]);
    });

    it('marks a failing statement: ERROR status, error.type and db.response.status_code 23505, the exception without values', async () => {
      let caught: unknown;
      const { span: parent } = await tracing.withSpan('signup', () =>
        db
          .atomic(() => Item.create({ owner: 'alice', token: SECRET }))
          .catch((error: unknown) => {
            caught = error;
          }),
      );
      // The application still gets pewit's error, untouched.
      expect(caught).toBeInstanceOf(UniqueViolationError);
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => s.attributes['db.operation.name'])).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
      const failed = children[1] as ReadableSpan;
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'duplicate key value violates unique constraint "otel_items_owner_key"' });
      expect(failed.attributes).toMatchObject({ 'error.type': '23505', 'db.response.status_code': '23505' });
      expect(failed.events.map((e) => e.name)).toEqual(['exception']);
      expect(failed.events[0]?.attributes).toMatchObject({
        'exception.type': 'UniqueViolationError',
        'exception.message': 'duplicate key value violates unique constraint "otel_items_owner_key"',
      });
      expect(String(failed.events[0]?.attributes?.['exception.stacktrace'])).toMatch(/^UniqueViolationError: duplicate key value.*\n\s+at /);
      expect(JSON.stringify([failed.attributes, failed.events, failed.status])).not.toContain(SECRET);
      // The others succeeded.
      expect(children.filter((s) => s !== failed).every((s) => s.status.code === SpanStatusCode.UNSET && s.attributes['error.type'] === undefined)).toBe(true);
    });

    it('times each span by the statement: it ends after it started, inside its parent', async () => {
      const { span: parent } = await tracing.withSpan('slow', () => db.execute(sql`SELECT pg_sleep(0.05)`));
      const [child] = childrenOf(tracing.spans(), parent);
      const parentSpan = tracing.spans().find((s) => s.spanContext().spanId === parent.spanContext().spanId) as ReadableSpan;
      // The span lasts as long as the statement, which the server slept 50 ms of (a lower bound, not a speed target;
      // 0.1 ms for the float rounding of epoch-millisecond clocks).
      expect(hrMs(child?.endTime) - hrMs(child?.startTime)).toBeGreaterThanOrEqual(49.9);
      // The SDK anchors each span's clock to Date.now(), whole milliseconds: two spans' clocks differ by under 1 ms.
      expect(hrMs(child?.startTime)).toBeGreaterThan(hrMs(parentSpan.startTime) - 1);
      expect(hrMs(child?.endTime)).toBeLessThan(hrMs(parentSpan.endTime) + 1);
    });

    it('traces the statement that opens a cursor (iterator())', async () => {
      const owners: string[] = [];
      const { span: parent } = await tracing.withSpan('export', async () => {
        for await (const item of Item.select().iterator({ batchSize: 10 })) owners.push(item.owner);
      });
      expect(owners).toEqual(['alice']);
      const children = childrenOf(tracing.spans(), parent);
      expect(children.map((s) => s.name)).toContain('SELECT "otel_items"');
    });

    it('leaves db.query.text out with { queryText: false }', async () => {
      stop();
      stop = instrument(db, { tracerProvider: tracing.provider, queryText: false });
      await Item.select();
      expect(only().attributes['db.query.text']).toBeUndefined();
      expect(only().attributes['db.query.summary']).toBe('SELECT "otel_items"');
    });

    it('stop() ends it: no span afterwards, and a second stop() does nothing', async () => {
      await Item.select();
      expect(spans()).toHaveLength(1);
      stop();
      stop();
      await Item.select();
      Item.select().countSync();
      await db.atomic(() => Item.select());
      expect(spans()).toHaveLength(1);
    });
  });

  function hrMs(time: readonly [number, number] | undefined): number {
    if (!time) throw new Error('no time');
    return time[0] * 1000 + time[1] / 1e6;
  }
}
