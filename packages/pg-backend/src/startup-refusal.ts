/** PgBouncer's answer to a startup parameter it does not pass on (it accepts only a few, such as application_name). */
const REFUSED = /unsupported startup parameter: (\w+)/;

/** Which of pewit's options makes node-postgres send a startup parameter. */
const SENT_FOR: Readonly<Record<string, string>> = {
  statement_timeout: 'pewit sends it on the blocking connection for blockingTimeoutMillis (default 60 000), and on every connection for statementTimeoutMillis',
};

/**
 * `error` with what to do added to its message when a pooler refused a startup parameter at login: PgBouncer
 * ends the login with FATAL 08P01 `unsupported startup parameter: statement_timeout`, which alone does not say
 * where the parameter came from. The code and every other property stay, so it maps to `OperationalError` as before.
 *
 * @example
 * explainStartupRefusal(error).message
 * // 'unsupported startup parameter: statement_timeout (PgBouncer refuses startup parameters it does not know, and
 * // pewit sends it on the blocking connection …: add statement_timeout to ignore_startup_parameters in pgbouncer.ini …)'
 */
export function explainStartupRefusal<E>(error: E): E {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== '08P01') return error;
  const name = REFUSED.exec(error.message)?.[1];
  if (name === undefined || error.message.includes('ignore_startup_parameters')) return error;
  const source = SENT_FOR[name] ?? `node-postgres sends it because the connection config sets ${name}`;
  const serverSide =
    name === 'statement_timeout' ? ', and set the timeout on the server instead (ALTER ROLE … SET statement_timeout, or PgBouncer’s query_timeout)' : '';
  error.message +=
    ` (PgBouncer refuses startup parameters it does not know, and ${source}: add ${name} to ignore_startup_parameters in pgbouncer.ini${serverSide}; ` +
    'see docs/scaling.md, PgBouncer)';
  return error;
}
