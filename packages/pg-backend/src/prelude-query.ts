import pg from 'pg';

/** What pg's client hands a submittable query; only the parts this file uses. */
interface WireConnection {
  readonly stream: { cork?(): void; uncork?(): void };
  readonly submittedNamedStatements: Record<string, string | undefined>;
  parse(message: { text: string }): void;
  bind(message: Record<string, never>): void;
  execute(message: Record<string, never>): void;
}

/** The index of the prelude statement that failed, set on the error `PreludeQuery` passes on. */
export const PRELUDE_INDEX = 'preludeIndex';

/**
 * One statement with parameterless control statements (`BEGIN`, `SAVEPOINT …`) sent ahead of it in the same
 * round trip, so opening a transaction costs no round trip of its own.
 *
 * pg's client answers a query at its ReadyForQuery, so everything must end in one: with parameters the prelude
 * goes as Parse/Bind/Execute messages without a Sync, followed by pg's own extended query for the statement
 * (which ends in the one Sync); without parameters (raw SQL, possibly several statements) the prelude is joined
 * in front of the text as one simple query. Either way the server stops at the first error, so a failed
 * `BEGIN` never runs the statement, and a failed statement leaves the transaction aborted as it would have been.
 * The prelude's CommandComplete messages are taken here; everything else is pg's `Query`'s, whose result is the
 * statement's alone.
 *
 * @example
 * client.query(new PreludeQuery(['BEGIN'], { text: 'UPDATE "posts" SET "views" = $1 WHERE "id" = $2', values: [1, 7] }), callback);
 * // one write: Parse BEGIN, Bind, Execute, Parse UPDATE …, Bind, Describe, Execute, Sync
 */
export class PreludeQuery {
  /** Called by pg with the statement's result or the first error; pg may wrap it (query_timeout). */
  callback: ((error: Error | null, result?: unknown) => void) | undefined;
  readonly #prelude: readonly string[];
  readonly #query: pg.Query;
  readonly #joined: boolean;
  /** Prelude statements the server has completed so far. */
  #completed = 0;

  constructor(prelude: readonly string[], config: pg.QueryArrayConfig) {
    this.#prelude = prelude;
    this.#joined = (config.values?.length ?? 0) === 0;
    const forward = (error: Error | null, result?: unknown) => this.callback?.(error, result);
    // Every property by name: pewit's configs keep the constant ones on their prototype (raw-query.ts).
    this.#query = new pg.Query({
      text: this.#joined ? `${prelude.join(';\n')};\n${config.text}` : config.text,
      values: config.values,
      name: config.name,
      rowMode: config.rowMode,
      types: config.types,
      callback: forward,
    } as pg.QueryConfig);
  }

  /** Read by pg's client when a Parse completes: the prelude's unnamed Parse must not mark the statement parsed. */
  get name(): string | undefined {
    return this.#inPrelude ? undefined : (this.#query as unknown as { name?: string }).name;
  }

  get text(): string {
    return (this.#query as unknown as { text: string }).text;
  }

  get #inPrelude(): boolean {
    return this.#completed < this.#prelude.length;
  }

  submit(connection: WireConnection): Error | null {
    if (this.#joined) return this.#inner.submit(connection);
    connection.stream.cork?.();
    try {
      for (const text of this.#prelude) {
        connection.parse({ text });
        connection.bind({});
        connection.execute({});
      }
      return this.#inner.submit(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleCommandComplete(message: unknown, connection: WireConnection): void {
    if (this.#inPrelude) {
      this.#completed++;
      return;
    }
    this.#inner.handleCommandComplete(message, connection);
  }

  handleError(error: Error, connection: WireConnection): void {
    if (this.#inPrelude) {
      // The statement never ran: pg must not believe its Parse (sent after the prelude) was accepted.
      const name = (this.#query as unknown as { name?: string }).name;
      if (name !== undefined && !this.#joined) delete connection.submittedNamedStatements[name];
      Object.defineProperty(error, PRELUDE_INDEX, { value: this.#completed, enumerable: false });
    }
    this.#inner.handleError(error, connection);
  }

  handleRowDescription(message: unknown): void {
    this.#inner.handleRowDescription(message);
  }

  handleDataRow(message: unknown): void {
    this.#inner.handleDataRow(message);
  }

  handlePortalSuspended(connection: WireConnection): void {
    this.#inner.handlePortalSuspended(connection);
  }

  handleEmptyQuery(connection: WireConnection): void {
    this.#inner.handleEmptyQuery(connection);
  }

  handleCopyInResponse(connection: WireConnection): void {
    this.#inner.handleCopyInResponse(connection);
  }

  handleCopyData(message: unknown, connection: WireConnection): void {
    this.#inner.handleCopyData(message, connection);
  }

  handleReadyForQuery(connection: WireConnection): void {
    this.#inner.handleReadyForQuery(connection);
  }

  /** pg's `Query` seen through the handlers a submittable has (its published types omit them). */
  get #inner(): InnerQuery {
    return this.#query as unknown as InnerQuery;
  }
}

/** The message handlers of pg's `Query` that pg's client calls. */
interface InnerQuery {
  submit(connection: WireConnection): Error | null;
  handleCommandComplete(message: unknown, connection: WireConnection): void;
  handleError(error: Error, connection: WireConnection): void;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handlePortalSuspended(connection: WireConnection): void;
  handleEmptyQuery(connection: WireConnection): void;
  handleCopyInResponse(connection: WireConnection): void;
  handleCopyData(message: unknown, connection: WireConnection): void;
  handleReadyForQuery(connection: WireConnection): void;
}
