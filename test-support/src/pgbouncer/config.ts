/** The pgbouncer.ini settings a test may choose; every other one is fixed by {@link pgBouncerIni}. */
export interface PgBouncerSettings {
  /** `pool_mode` (default `transaction`). */
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /** `default_pool_size`: server connections per database and user (default 5). */
  readonly poolSize?: number;
  /** `max_client_conn` (default 200). */
  readonly maxClientConn?: number;
  /**
   * `ignore_startup_parameters` (default `['statement_timeout']`, which pewit's blocking connection sends;
   * `[]` to see what PgBouncer does without it).
   */
  readonly ignoreStartupParameters?: readonly string[];
}

/** Where PgBouncer forwards to, and the files of one instance. */
export interface PgBouncerTarget {
  readonly serverHost: string;
  readonly serverPort: number;
  readonly listenPort: number;
  readonly authFile: string;
  readonly pidFile: string;
  /** The one user of `auth_file`, also the admin console's user. */
  readonly user: string;
}

/** A pgbouncer.ini value is a bare word here: refuse anything that could start another line or setting. */
function word(value: string | number, what: string): string {
  const text = String(value);
  if (!/^[\w./:-]+$/.test(text)) throw new TypeError(`PgBouncer ${what} must be a plain word, received ${JSON.stringify(text)}`);
  return text;
}

/**
 * The text of a pgbouncer.ini for one test instance: every database name is forwarded (`*`) to the test server,
 * so per-file databases need no entry, and each (database, user) pair gets its own pool of `poolSize`.
 *
 * @example
 * pgBouncerIni({ serverHost: '127.0.0.1', serverPort: 5433, listenPort: 6432, … }, { poolSize: 5 })
 * // [databases]\n* = host=127.0.0.1 port=5433\n[pgbouncer]\npool_mode = transaction\ndefault_pool_size = 5 …
 */
export function pgBouncerIni(target: PgBouncerTarget, settings: PgBouncerSettings = {}): string {
  const ignored = settings.ignoreStartupParameters ?? ['statement_timeout'];
  const lines = [
    '[databases]',
    `* = host=${word(target.serverHost, 'server host')} port=${word(target.serverPort, 'server port')}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${word(target.listenPort, 'port')}`,
    // No Unix socket: nothing but our TCP port, and no clash with a system PgBouncer's /tmp/.s.PGSQL.6432.
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${word(target.authFile, 'auth file')}`,
    `admin_users = ${word(target.user, 'user')}`,
    `stats_users = ${word(target.user, 'user')}`,
    `pidfile = ${word(target.pidFile, 'pid file')}`,
    `pool_mode = ${word(settings.poolMode ?? 'transaction', 'pool_mode')}`,
    `default_pool_size = ${word(settings.poolSize ?? 5, 'pool size')}`,
    'min_pool_size = 0',
    'reserve_pool_size = 0',
    `max_client_conn = ${word(settings.maxClientConn ?? 200, 'max_client_conn')}`,
    ...(ignored.length > 0 ? [`ignore_startup_parameters = ${ignored.map((name) => word(name, 'startup parameter')).join(',')}`] : []),
    // Logs go to stderr, which the starter reads; connection chatter would only push out the lines that matter.
    'log_connections = 0',
    'log_disconnections = 0',
    'log_pooler_errors = 1',
    'server_login_retry = 1',
  ];
  return `${lines.join('\n')}\n`;
}

/** One auth_file line: the password in plain text, so PgBouncer can log in to the server with SCRAM as the user. */
export function authFileLine(user: string, password: string): string {
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  return `${quote(user)} ${quote(password)}\n`;
}
