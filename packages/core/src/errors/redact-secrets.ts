const MASK = '***';

/**
 * Replaces every occurrence of the given secrets (passwords) in a string.
 *
 * @example redactText('postgres://app:s3cret@db/app', ['s3cret']) // 'postgres://app:***@db/app'
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(MASK);
  return out;
}

/**
 * Returns `error` itself when none of its strings (message, stack, own properties such as `input`, and its
 * `cause` chain) contains a secret; otherwise a copy of the same class with every secret masked. Backends call
 * it on connection errors, whose driver error may carry the whole connection string (`new URL()` puts it in
 * `input`). A copy, not a mutation: the driver may keep its error.
 *
 * @example
 * const e = redactSecrets(Object.assign(new TypeError('Invalid URL'), { input: 'postgres://a:pw@h:x/db' }), ['pw']);
 * (e as { input?: string }).input; // 'postgres://a:***@h:x/db'
 */
export function redactSecrets(error: unknown, secrets: readonly string[], depth = 0): unknown {
  const live = secrets.filter((s) => s.length > 0);
  if (live.length === 0 || depth > 8) return error;
  if (typeof error === 'string') return redactText(error, live);
  if (!(error instanceof Error) || !mentions(error, live, depth)) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error & Record<string, unknown>;
  for (const key of Reflect.ownKeys(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor) continue;
    if ('value' in descriptor) {
      const value: unknown = descriptor.value;
      descriptor.value =
        key === 'cause' || value instanceof Error
          ? redactSecrets(value, live, depth + 1)
          : typeof value === 'string'
            ? redactText(value, live)
            : Array.isArray(value)
              ? value.map((item: unknown) => redactSecrets(item, live, depth + 1))
              : value;
    }
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

function mentions(value: unknown, secrets: readonly string[], depth: number): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return secrets.some((s) => value.includes(s));
  if (Array.isArray(value)) return value.some((v) => mentions(v, secrets, depth + 1));
  if (!(value instanceof Error)) return false;
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor && mentions(descriptor.value, secrets, depth + 1)) return true;
  }
  return false;
}

/**
 * A connection URL (or any text holding one) with its password and its
 * secret-looking query parameters (`password`, `sslpassword`, `token`, `…key`)
 * masked, for messages and logs. It needs no valid URL: a malformed one is
 * masked the same way.
 *
 * @example redactUrl('postgres://app:s3cret@db:5432/app?sslpassword=x') // 'postgres://app:***@db:5432/app?sslpassword=***'
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@\s]*:)[^@/]*@/g, `$1${MASK}@`).replace(/([?&][^=&#\s]*(?:pass|secret|key|token)[^=&#\s]*=)[^&#\s]*/gi, `$1${MASK}`);
}
