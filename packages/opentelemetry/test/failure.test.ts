import { UniqueViolationError } from '@pewit/core';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/failure.js';

describe('describeFailure: what a span records about a failed statement', () => {
  it('uses the SQLSTATE as error.type and db.response.status_code', () => {
    const error = new UniqueViolationError('duplicate key value violates unique constraint "users_username_key"', {
      code: '23505',
      detail: 'Key (username)=(alice-secret) already exists.',
    });
    const failure = describeFailure(error, ['alice-secret']);
    expect(failure.type).toBe('23505');
    expect(failure.sqlState).toBe('23505');
    expect(failure.exception.name).toBe('UniqueViolationError');
    expect(failure.exception.message).toBe('duplicate key value violates unique constraint "users_username_key"');
    expect(failure.exception.stack?.split('\n')[0]).toBe('UniqueViolationError: duplicate key value violates unique constraint "users_username_key"');
    expect(JSON.stringify(failure)).not.toContain('alice-secret');
  });

  it('cuts every parameter value out of the message and the stack, quoted or bare, array elements too', () => {
    const error = new Error('invalid input syntax for type integer: "tok_9f8e7d" near tok_9f8e7d, "x", also "42"');
    const failure = describeFailure(error, [['tok_9f8e7d'], 'x', 42]);
    expect(failure.exception.message).toBe('invalid input syntax for type integer: "[redacted]" near [redacted], "[redacted]", also "[redacted]"');
    expect(failure.exception.stack).not.toContain('tok_9f8e7d');
  });

  it('keeps a short value where it stands bare (it would match ordinary words), cuts it where quoted', () => {
    const failure = describeFailure(new Error('value "on" is out of range: on'), ['on']);
    expect(failure.exception.message).toBe('value "[redacted]" is out of range: on');
  });

  it('falls back to the class name when there is no SQLSTATE (a network code is not one)', () => {
    const error = Object.assign(new Error('Connection terminated unexpectedly'), { name: 'OperationalError', code: 'ECONNRESET' });
    const failure = describeFailure(error, []);
    expect(failure.type).toBe('OperationalError');
    expect(failure.sqlState).toBeUndefined();
  });
});
