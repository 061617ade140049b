import type { EvaluationDescription } from '../evaluation/description.js';

/** Which transport ran a statement. */
export type EvaluationPath = 'async' | 'blocking';

/** Emitted once per statement sent to the server, transaction control included. */
export interface QueryEvent {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly durationMs: number;
  readonly path: EvaluationPath;
  /** Which server ran it: `'primary'`, or `'replica:<n>'` for the n-th read replica. */
  readonly server: string;
  /** That server's host (or socket directory) and port, and the database name, when the backend knows them. */
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
  readonly database?: string | undefined;
  /** Set when the statement failed; already mapped to pewit's error classes. */
  readonly error?: Error | undefined;
}

/**
 * Emitted once per evaluation (a query turned into results), before its first
 * statement is sent. A listener may throw to refuse a blocking evaluation, and
 * may register `onDone` to learn how long it took. This is what warn mode
 * listens to.
 */
export interface EvaluationEvent {
  readonly path: EvaluationPath;
  readonly what: EvaluationDescription;
  /** The first statement of the evaluation. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** True inside `db.allowBlocking()`: tooling should not report it. */
  readonly blockingAllowed: boolean;
  onDone(callback: (durationMs: number, error?: unknown) => void): void;
}

export interface DatabaseEvents {
  query: QueryEvent;
  evaluation: EvaluationEvent;
}

type Listener<T> = (event: T) => void;

/** A minimal typed emitter; listeners run synchronously, in order. */
export class Emitter<E> {
  private readonly listeners: { [K in keyof E]?: Listener<E[K]>[] } = {};

  on<K extends keyof E>(name: K, listener: Listener<E[K]>): () => void {
    const list = this.listeners[name] ?? [];
    this.listeners[name] = [...list, listener];
    return () => this.off(name, listener);
  }

  off<K extends keyof E>(name: K, listener: Listener<E[K]>): void {
    this.listeners[name] = this.listeners[name]?.filter((l) => l !== listener);
  }

  has<K extends keyof E>(name: K): boolean {
    return (this.listeners[name]?.length ?? 0) > 0;
  }

  /** Calls every listener; an exception from a listener propagates (warn mode's throw mode relies on it). */
  emit<K extends keyof E>(name: K, event: E[K]): void {
    const list = this.listeners[name];
    if (!list) return;
    for (const listener of list) listener(event);
  }
}
