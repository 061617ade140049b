import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/index.js';

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
