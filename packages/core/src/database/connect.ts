import { redactSecrets, redactUrl } from '../errors/redact-secrets.js';
import type { Database } from './database.js';

interface Backend {
  readonly packageName: string;
  readonly exportName: string;
  /** Query parameters taken out of the URL and passed as numeric options. */
  readonly numericOptions: readonly string[];
}

const SINGLE: Backend = {
  packageName: '@pewit/pg-backend',
  exportName: 'PostgresqlDatabase',
  numericOptions: ['blockingTimeoutMillis', 'statementCacheSize'],
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
    'statementCacheSize',
  ],
};

const SCHEMES: Readonly<Record<string, Backend>> = {
  'postgres:': SINGLE,
  'postgresql:': SINGLE,
  'postgres+pool:': POOLED,
  'postgresql+pool:': POOLED,
};

/** Every pool option name, to tell users who put one on a single-connection URL. */
const POOL_ONLY = POOLED.numericOptions.filter((name) => !SINGLE.numericOptions.includes(name));

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
 *   `statementTimeoutMillis`. Both take `blockingTimeoutMillis` and
 *   `statementCacheSize` (`?statementCacheSize=0` behind PgBouncer in
 *   transaction mode). Other parameters (e.g. `sslmode`, `application_name`)
 *   are left for node-postgres.
 *
 * @example
 * const db = await connect('postgres+pool://app@localhost/app?max=20&idleTimeoutMillis=10000');
 * await db.execute(sql`SELECT 1 AS one`); // SELECT 1 AS one
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
function splitOptions(rest: string, backend: Backend): { connectionString: string; parsed: Record<string, number> } {
  let url: URL;
  try {
    url = new URL(`postgres:${rest}`);
  } catch (error) {
    // new URL() puts the whole input, password included, in the error's `input`: attach a redacted copy.
    throw new TypeError(`connect(): "${redactUrl(`postgres:${rest}`)}" is not a valid URL; expected e.g. postgres://user:password@host:5432/database`, {
      cause: redactSecrets(error, passwordsIn(rest)),
    });
  }
  const parsed: Record<string, number> = {};
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
  return { connectionString: url.toString(), parsed };
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
