/** What a span records about a failed statement: nothing that could carry a parameter value. */
export interface Failure {
  /** `error.type`: the SQLSTATE when the server sent one, else the error's class name (`OperationalError`). */
  readonly type: string;
  /** `db.response.status_code`: the SQLSTATE, when there is one. */
  readonly sqlState: string | undefined;
  /** The error for `span.recordException`: its class name, and its message and stack with parameter values cut out. */
  readonly exception: { readonly name: string; readonly message: string; readonly stack?: string | undefined };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const REDACTED = '[redacted]';
/** Values shorter than this are cut out only where they stand in quotes: bare, they would match ordinary words. */
const BARE_MIN_LENGTH = 6;

/**
 * Describes a statement's failure for a span. The message is PostgreSQL's, which may quote a value it refused
 * (`invalid input syntax for type integer: "…"`): every parameter's text is cut out of it. The error's
 * `detail` (`Key (email)=(…) already exists`) and `params` are never read.
 *
 * @example
 * describeFailure(error, ['s3cret'])
 * // { type: '22P02', sqlState: '22P02', exception: { name: 'DatabaseError', message: 'invalid input syntax for type integer: "[redacted]"', … } }
 */
export function describeFailure(error: Error, params: readonly unknown[]): Failure {
  const code = (error as { code?: unknown }).code;
  const sqlState = typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
  const texts = parameterTexts(params);
  const message = redact(String(error.message ?? ''), texts);
  return {
    type: sqlState ?? name,
    sqlState,
    exception: { name, message, stack: stackFrames(error.stack, `${name}: ${message}`, texts) },
  };
}

/** The texts a server could echo for each parameter (array elements included), longest first. */
function parameterTexts(params: readonly unknown[]): string[] {
  const texts = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') texts.add(value);
    else if (typeof value === 'number' || typeof value === 'bigint') texts.add(String(value));
    else if (value instanceof Date && !Number.isNaN(value.getTime())) texts.add(value.toISOString());
    else if (Array.isArray(value) && depth < 3) for (const item of value) visit(item, depth + 1);
  };
  for (const param of params) visit(param, 0);
  // Longest first, so a value that contains another is cut out whole.
  return [...texts].filter((text) => text !== '').sort((a, b) => b.length - a.length);
}

function redact(message: string, texts: readonly string[]): string {
  for (const text of texts) {
    message = message.replaceAll(`"${text}"`, `"${REDACTED}"`).replaceAll(`'${text}'`, `'${REDACTED}'`);
    if (text.length >= BARE_MIN_LENGTH) message = message.replaceAll(text, REDACTED);
  }
  return message;
}

/** The stack's frames under a first line of the redacted message; the original first line(s) repeat the message. */
function stackFrames(stack: unknown, head: string, texts: readonly string[]): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames.map((line) => redact(line, texts))].join('\n');
}
