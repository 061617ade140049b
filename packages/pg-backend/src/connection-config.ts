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
