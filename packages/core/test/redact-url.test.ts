import { describe, expect, it } from 'vitest';
import { OperationalError, redactSecrets, redactUrl } from '../src/index.js';

describe('redactUrl', () => {
  it('masks the password and secret query parameters, and nothing else', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(redactUrl('postgres://app:s%40cr%2Fet@db/app?sslpassword=x&application_name=tour&token=t')).toBe(
      'postgres://app:***@db/app?sslpassword=***&application_name=tour&token=***',
    );
    // No password: the port and an @ in the query are left alone.
    expect(redactUrl('postgres://db:5432/app?note=a@b')).toBe('postgres://db:5432/app?note=a@b');
    expect(redactUrl('postgres://app@db/app')).toBe('postgres://app@db/app');
  });

  it('masks malformed URLs and URLs inside other text the same way', () => {
    expect(redactUrl('postgres://app:pa ss@db:notaport/app')).toBe('postgres://app:***@db:notaport/app');
    expect(redactUrl('cannot reach postgres://app:s3cret@db/app (ECONNREFUSED)')).toBe('cannot reach postgres://app:***@db/app (ECONNREFUSED)');
  });
});

// docs/errors.md "Passwords never appear": redactSecrets does for other backends and tools what the backends do.
describe('redactSecrets', () => {
  it('returns a clean error itself, and a masked copy of the same class otherwise, down the cause chain', () => {
    const clean = new Error('nothing to hide');
    expect(redactSecrets(clean, ['pw-123'])).toBe(clean);

    const inner = Object.assign(new TypeError('Invalid URL'), { input: 'postgres://app:pw-123@db:x/app' });
    const outer = new OperationalError('cannot connect to postgres://app:pw-123@db:x/app', { code: 'ECONNREFUSED' }, { cause: inner });
    const masked = redactSecrets(outer, ['pw-123']) as OperationalError;
    expect(masked).not.toBe(outer);
    expect(masked).toBeInstanceOf(OperationalError);
    expect(masked.code).toBe('ECONNREFUSED');
    expect(masked.message).toBe('cannot connect to postgres://app:***@db:x/app');
    expect(masked.cause).toBeInstanceOf(TypeError);
    expect((masked.cause as { input?: string }).input).toBe('postgres://app:***@db:x/app');
    expect(JSON.stringify({ stack: masked.stack, cause: String(masked.cause) })).not.toContain('pw-123');
    // The original stays as the driver made it.
    expect(outer.message).toContain('pw-123');
  });
});
