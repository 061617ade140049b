import { redactSecrets, redactUrl } from '../errors/redact-secrets.js';
import type { Database } from './database.js';

interface Backend {
  readonly packageName: string;
  readonly exportName: string;
  /** Query parameters taken out of the URL and passed as numeric options. */
  readonly numericOptions: readonly string[];
  /** Whether `replica=host:port` parameters name read replicas. */
  readonly replicas: boolean;
}

const SINGLE: Backend = {
  packageName: '@pewit/pg-backend',
  exportName: 'PostgresqlDatabase',
  numericOptions: ['blockingTimeoutMillis', 'blockingSpinMicros', 'statementCacheSize'],
  replicas: false,
};
const POOLED: Backend = {
  packageName: '@pewit/pooled-backend',
  exportName: 'PooledPostgresqlDatabase',
  numericOptions: [
    'max',
    'idleTimeoutMillis',
    'connectionTimeoutMillis',
    'maxLifetimeSeconds',
    'statementTimeoutMillis',
    'blockingTimeoutMillis',
    'blockingSpinMicros',
    'statementCacheSize',
    'stickyAfterWriteMs',
    'replicaRetryMillis',
  ],
  replicas: true,
};

const SCHEMES: Readonly<Record<string, Backend>> = {
  'postgres:': SINGLE,
  'postgresql:': SINGLE,
  'postgres+pool:': POOLED,
  'postgresql+pool:': POOLED,
};

/** Every pool option name, to tell users who put one on a single-connection URL. */
const POOL_ONLY = [...POOLED.numericOptions.filter((name) => !SINGLE.numericOptions.includes(name)), 'replica'];

/** `host`, `host:port`, `[v6]`, `[v6]:port`: all a replica parameter may say (the rest comes from the primary URL). */
const REPLICA_ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/**
 * Opens a database from a URL, choosing the backend by scheme, so switching
 * between the single-connection and the pooled backend is configuration only.
 * The backend package is loaded by name at run time: install the one you use.
 * No connection is opened until the first query (call `db.connect()` to fail
 * early on a bad URL).
 *
 * - `postgres://` / `postgresql://` → `PostgresqlDatabase` (`@pewit/pg-backend`)
 * - `postgres+pool://` / `postgresql+pool://` → `PooledPostgresqlDatabase`
 *   (`@pewit/pooled-backend`); pool options come from query parameters:
 *   `max`, `idleTimeoutMillis`, `connectionTimeoutMillis`, `maxLifetimeSeconds`,
 *   `statementTimeoutMillis`, `stickyAfterWriteMs`, `replicaRetryMillis`, and
 *   `replica=host:port` (repeatable) for each read replica, which shares the
 *   primary URL's user, password, database and other parameters (a replica
 *   without a port gets the primary's). Both take `blockingTimeoutMillis`, `blockingSpinMicros` and
 *   `statementCacheSize` (`?statementCacheSize=0` behind PgBouncer in
 *   transaction mode). Other parameters (e.g. `sslmode`, `application_name`)
 *   are left for node-postgres.
 *
 * @example
 * const db = await connect('postgres+pool://app@localhost/app?max=20&idleTimeoutMillis=10000');
 * await db.execute(sql`SELECT 1 AS one`); // SELECT 1 AS one
 * @example
 * const replicated = await connect('postgres+pool://app:pw@primary/app?replica=replica-1:5432&replica=replica-2&stickyAfterWriteMs=2000');
 */
export async function connect(url: string, options: Readonly<Record<string, unknown>> = {}): Promise<Database> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0]?.toLowerCase();
  const backend = scheme ? SCHEMES[scheme] : undefined;
  if (!scheme || !backend) {
    const supported = Object.entries(SCHEMES)
      .map(([name, b]) => `${name}// (${b.packageName})`)
      .join(', ');
    throw new TypeError(`connect(): unsupported URL scheme${scheme ? ` "${scheme}//"` : ''} in "${redactUrl(url)}"; use one of: ${supported}`);
  }
  const { connectionString, parsed } = splitOptions(url.slice(scheme.length), backend);
  const Backend = await loadBackend(backend, scheme);
  return new Backend(connectionString, { ...parsed, ...options });
}

/** Takes pewit's options out of the query string; returns a plain `postgres://` URL for node-postgres. */
function splitOptions(rest: string, backend: Backend): { connectionString: string; parsed: Record<string, unknown> } {
  let url: URL;
  try {
    url = new URL(`postgres:${rest}`);
  } catch (error) {
    // new URL() puts the whole input, password included, in the error's `input`: attach a redacted copy.
    throw new TypeError(`connect(): "${redactUrl(`postgres:${rest}`)}" is not a valid URL; expected e.g. postgres://user:password@host:5432/database`, {
      cause: redactSecrets(error, passwordsIn(rest)),
    });
  }
  const parsed: Record<string, unknown> = {};
  for (const name of backend.numericOptions) {
    const raw = url.searchParams.get(name);
    if (raw === null) continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`connect(): query parameter ${name}=${raw} is not a non-negative number`);
    }
    parsed[name] = value;
    url.searchParams.delete(name);
  }
  const misplaced = POOL_ONLY.filter((name) => url.searchParams.has(name));
  if (backend === SINGLE && misplaced.length) {
    throw new TypeError(
      `connect(): ${misplaced.join(', ')} configure a pool, but postgres:// opens a single connection; use postgres+pool:// for the pooled backend`,
    );
  }
  if (url.searchParams.has('replicas')) {
    // node-postgres would ignore it silently, and every read would stay on the primary.
    throw new TypeError('connect(): there is no replicas= parameter; name each read replica with its own replica=host:port');
  }
  if (backend.replicas) {
    const addresses = url.searchParams.getAll('replica');
    url.searchParams.delete('replica');
    // After every pewit option is gone: a replica keeps only what node-postgres reads (sslmode, application_name…).
    if (addresses.length) parsed.replicas = addresses.map((address, n) => replicaUrl(url, address, n));
  }
  return { connectionString: url.toString(), parsed };
}

/**
 * The primary's URL pointed at a replica's `host[:port]`. The value is never quoted in the error: a mistyped
 * one may hold a password (`replica=app:secret@host`).
 */
function replicaUrl(primary: URL, address: string, n: number): string {
  const match = REPLICA_ADDRESS.exec(address.trim());
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new TypeError(
      `connect(): replica parameter #${n + 1} is not host or host:port (e.g. replica=10.0.0.2:5432, replica=[::1]:5433); ` +
        'user, password, database and other parameters come from the primary URL',
    );
  }
  const replica = new URL(primary.toString());
  // host= / port= in the query string would send node-postgres to the primary's socket instead.
  replica.searchParams.delete('host');
  replica.searchParams.delete('port');
  replica.hostname = match[1] as string;
  if (port !== undefined) replica.port = String(port);
  return replica.toString();
}

type BackendClass = new (connectionString: string, options: Record<string, unknown>) => Database;

async function loadBackend(backend: Backend, scheme: string): Promise<BackendClass> {
  let module: Record<string, unknown>;
  try {
    // A variable specifier: core must not depend on (or bundle) any backend.
    const specifier = backend.packageName;
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(backend.packageName)) {
      throw new Error(`connect(): ${scheme}// URLs need the package ${backend.packageName}, which is not installed; run: npm install ${backend.packageName}`, {
        cause: error,
      });
    }
    throw error;
  }
  const Backend = module[backend.exportName];
  if (typeof Backend !== 'function') {
    throw new Error(`connect(): ${backend.packageName} does not export ${backend.exportName}; install a version that matches @pewit/core`);
  }
  return Backend as BackendClass;
}

/** The password of a URL (as written and decoded), to scrub from errors that quote the URL. */
function passwordsIn(url: string): string[] {
  const raw = /\/\/[^:/@]*:([^@/]*)@/.exec(url)?.[1];
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {}
  return [...new Set([raw, decoded])];
}
