import { context, type Span, type SpanContext, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * The SDK as an application sets it up, exporting to memory: a tracer provider with a simple processor, and the
 * AsyncLocalStorage context manager (what @opentelemetry/sdk-node registers), so the active span follows awaits.
 * Spans are reset before each test.
 */
export function useTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('pewit-opentelemetry-tests');
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(async () => {
    context.disable();
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());
  return {
    provider,
    tracer,
    /** Finished spans, oldest first. */
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    /** Runs `fn` inside a new active span, which it ends afterwards. */
    withSpan: async <T>(name: string, fn: (span: Span) => Promise<T> | T): Promise<{ result: T; span: Span }> =>
      tracer.startActiveSpan(name, async (span) => {
        try {
          return { result: await fn(span), span };
        } finally {
          span.end();
        }
      }),
  };
}

/** The spans whose parent is `parent`, oldest first. */
export function childrenOf(spans: readonly ReadableSpan[], parent: Span | SpanContext): ReadableSpan[] {
  const { traceId, spanId } = 'spanContext' in parent ? parent.spanContext() : parent;
  return spans.filter((span) => span.parentSpanContext?.spanId === spanId && span.spanContext().traceId === traceId);
}

/** The spans pewit made (not the tests' own parents). */
export function statementSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((span) => span.instrumentationScope.name === '@pewit/opentelemetry');
}

export { trace };
