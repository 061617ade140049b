/**
 * The contract between core and a backend. Core compiles, converts and
 * hydrates; a backend only moves statements and text cells. These types are
 * structural so core never depends on a driver.
 */

/** One SQL statement with `$n` placeholders and the values that fill them. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A result column: its name and PostgreSQL type OID. */
export interface ResultField {
  readonly name: string;
  readonly typeId: number;
}

/**
 * What a backend returns for one statement: rows as arrays of the server's
 * text representation (`null` for SQL NULL). Core turns text into values, the
 * same way on every path, so a backend never touches type conversion.
 */
export interface RawResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly fields: readonly ResultField[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/**
 * Which server a connection talks to, as query events and tracing report it.
 * `name` is `'primary'`, or `'replica:<n>'` for the n-th read replica (from 0).
 */
export interface ServerInfo {
  readonly name: string;
  /** Host name, IP address or Unix socket directory, as the connection config resolved it. */
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** The database name on that server. */
  readonly database?: string | undefined;
}

/**
 * What a connection is wanted for. `'read'`: a plain read outside a
 * transaction (a SELECT without a lock, `count`, `exists`, `get`, `first`,
 * prefetch levels, `iterator()`), which a backend with read replicas may send
 * to one. `'write'`: everything else (writes, locking reads, transactions,
 * DDL, raw `db.execute`), which goes to the primary. Backends without
 * replicas ignore it.
 */
export type ConnectionIntent = 'read' | 'write';

/** A server-side cursor over one statement (used by `iterator()`). */
export interface RawCursor {
  read(count: number): Promise<RawResult>;
  close(): Promise<void>;
}

/** An async connection as core sees it. */
export interface Connection {
  query(statement: Statement): Promise<RawResult>;
  /**
   * Sends the parameterless control statements `prelude` (`BEGIN`, `SAVEPOINT …`) and then `statement` in one
   * round trip, and answers with the statement's result: a transaction then costs no round trip to open. The
   * server stops at the first failure; when a prelude statement fails, the error carries `preludeIndex` (which
   * one) and the statement did not run. Without the method, core sends each control statement on its own.
   */
  queryAfter?(prelude: readonly string[], statement: Statement): Promise<RawResult>;
  /** Opens a server-side cursor; backends without cursors may omit it. */
  cursor?(statement: Statement): RawCursor;
  /** PostgreSQL backend PID, for diagnostics and tests. */
  readonly processId?: number | undefined;
  /** The server this connection talks to; the primary when absent. */
  readonly server?: ServerInfo | undefined;
}

/**
 * What a backend implements, and all it implements: async connections, the
 * blocking connection, and shutdown. `Database` is handed a driver and does
 * everything else (evaluation, events, error mapping, transactions,
 * streaming), the same for every backend.
 *
 * @example
 * class MyDatabase extends Database {
 *   constructor(url: string) { super(new MyDriver(url)); } // MyDriver implements Driver
 * }
 */
export interface Driver {
  /**
   * Returns an async connection, waiting for one to be free. `intent` says
   * what it is for (default `'write'`); core has already kept reads on the
   * primary where they must be (`db.onPrimary()`, read-your-writes).
   */
  acquire(intent?: ConnectionIntent): Promise<Connection>;
  /**
   * A read failed on `connection` (one `acquire('read')` returned): may it be
   * sent again, and with which intent (`'read'`: another replica, `'write'`:
   * the primary)? `undefined` lets the error reach the caller. Asked before
   * the connection is released, and only for statements that cannot have had
   * effects (plain reads), so sending one again is safe. A backend with
   * replicas answers for its replicas (one that went away, is starting up,
   * refused the statement as read-only, or cancelled it for a recovery
   * conflict) and takes a replica out of rotation as it sees fit; without the
   * method, nothing is retried.
   */
  retryRead?(connection: Connection, error: Error): ConnectionIntent | undefined;
  /**
   * True when `acquire('read')` may hand out a connection to another server (read replicas). Only then does core
   * judge each evaluation's intent, route reads and note writes for read-your-writes: without it that work would
   * be paid on every statement for nothing. Absent: false.
   */
  readonly routesReads?: boolean | undefined;
  /** Gives a connection back; `error` is set when the connection is broken (see `brokenBy`) and must not be reused. */
  release(connection: Connection, error?: Error): void;
  /** Sends one statement on the blocking connection and waits for its result. */
  sendBlocking(statement: Statement): RawResult;
  /** Lets checked-out work finish, then closes every connection, the blocking one included. */
  shutdown(): Promise<void>;
  /** The server the blocking connection talks to; the primary when absent. */
  readonly blockingServer?: ServerInfo | undefined;
  /** True when a second async connection can run while one is held (by a cursor, say). */
  readonly supportsConcurrentConnections: boolean;
}
