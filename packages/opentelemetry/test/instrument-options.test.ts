import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { DatabaseProxy, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../core/dist/database/events.js';
import { instrument } from '../src/index.js';
import { statementSpans, useTracing } from './tracing.js';

const database = useTestDatabase();
const tracing = useTracing();
let db: PostgresqlDatabase;

beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
});
afterAll(() => db?.close());
afterEach(() => {
  vi.restoreAllMocks();
  trace.disable();
});

describe('instrument() options and costs', () => {
  it('sends spans to the global tracer provider when none is given, also one registered afterwards', async () => {
    const stop = instrument(db);
    trace.setGlobalTracerProvider(tracing.provider);
    try {
      await db.execute(sql`SELECT 1`);
    } finally {
      stop();
    }
    expect(statementSpans(tracing.spans()).map((s) => s.name)).toEqual(['SELECT']);
  });

  // The query event is built only while someone listens (core checks first): counting the emits of the one
  // Emitter class @pewit/core uses shows instrument() adds a listener and stop() takes it away.
  it('costs nothing when not instrumented: core emits no query event before instrument() or after stop()', async () => {
    const emits = vi.spyOn(Emitter.prototype, 'emit');
    const queryEmits = () => emits.mock.calls.filter(([name]) => name === 'query').length;
    await db.execute(sql`SELECT 1`);
    db.executeSync(sql`SELECT 1`);
    expect(queryEmits()).toBe(0);
    const stop = instrument(db, { tracerProvider: tracing.provider });
    await db.execute(sql`SELECT 1`);
    db.executeSync(sql`SELECT 1`);
    expect(queryEmits()).toBe(2);
    stop();
    await db.execute(sql`SELECT 1`);
    db.executeSync(sql`SELECT 1`);
    expect(queryEmits()).toBe(2);
  });

  it('never fails the application’s query when recording a span throws', async () => {
    const broken: TracerProvider = {
      getTracer: () =>
        ({
          startSpan: () => {
            throw new Error('exporter exploded');
          },
        }) as unknown as Tracer,
    };
    const stop = instrument(db, { tracerProvider: broken });
    try {
      const { rows } = await db.execute(sql`SELECT 2 AS two`);
      expect(rows).toEqual([{ two: 2 }]);
      expect(db.executeSync(sql`SELECT 3 AS three`).rows).toEqual([{ three: 3 }]);
    } finally {
      stop();
    }
  });

  it('instruments a DatabaseProxy before it is initialized: the spans follow the database it points at', async () => {
    const proxy = new DatabaseProxy();
    const stop = instrument(proxy, { tracerProvider: tracing.provider });
    try {
      proxy.initialize(db);
      await proxy.execute(sql`SELECT 1`);
    } finally {
      stop();
    }
    await db.execute(sql`SELECT 2`);
    expect(statementSpans(tracing.spans()).map((s) => [s.name, s.attributes['db.query.text']])).toEqual([['SELECT', 'SELECT 1']]);
  });

  it('names a span with no operation to read (an empty statement) after the database', async () => {
    const stop = instrument(db, { tracerProvider: tracing.provider });
    try {
      await db.execute(sql`-- nothing to run`);
    } finally {
      stop();
    }
    const [span] = statementSpans(tracing.spans());
    expect(span?.name).toBe(database.name());
    expect(span?.attributes['db.operation.name']).toBeUndefined();
    expect(span?.attributes['db.query.summary']).toBeUndefined();
  });

  it('refuses what is not a database, a tracer provider or a boolean, before listening', () => {
    expect(() => instrument({} as PostgresqlDatabase)).toThrow(/expected a pewit Database/);
    expect(() => instrument(db, { tracerProvider: {} as TracerProvider })).toThrow(/expected an OpenTelemetry TracerProvider/);
    expect(() => instrument(db, { queryText: 'yes' as unknown as boolean })).toThrow(/queryText.*expected true or false, received yes/);
  });
});
