import type pg from 'pg';

/** A connection string, or node-postgres client options. */
export type ConnectionConfig = string | pg.ClientConfig;

/** Normalises to a pg ClientConfig that can also be sent to the blocking worker (plain data only). */
export function toClientConfig(config: ConnectionConfig): pg.ClientConfig {
  const options = typeof config === 'string' ? { connectionString: config } : { ...config };
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'function' || (typeof value === 'object' && value !== null && !Array.isArray(value) && key !== 'ssl')) {
      throw new TypeError(`PostgresqlDatabase: option "${key}" is not plain data; pewit passes the config to its blocking worker thread, so use plain values`);
    }
  }
  return options;
}

/**
 * The passwords a config carries (its `password` and the one inside `connectionString`, as written and
 * decoded), so errors and printed output can be scrubbed of them.
 */
export function secretsOf(config: pg.ClientConfig): string[] {
  const found: string[] = [];
  if (typeof config.password === 'string' && config.password) found.push(config.password);
  const raw = config.connectionString ? /\/\/[^:/@]*:([^@/]*)@/.exec(config.connectionString)?.[1] : undefined;
  if (raw) {
    found.push(raw);
    try {
      found.push(decodeURIComponent(raw));
    } catch {}
  }
  return [...new Set(found)];
}

/** A copy of the config safe to show: the password masked, in both places it can be. */
export function redactedConfig(config: pg.ClientConfig): pg.ClientConfig {
  const copy: pg.ClientConfig = { ...config };
  if (copy.password !== undefined) copy.password = '***';
  if (copy.connectionString) copy.connectionString = copy.connectionString.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  return copy;
}
