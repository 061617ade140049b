import { AdminShutdownError, OperationalError } from '@pewit/core';
import { expect } from 'vitest';

/**
 * The documented outcome of a session killed by the server (docs/backends.md, docs/errors.md): always an
 * OperationalError; AdminShutdownError with 57P01 when pg read the server's FATAL message before the socket closed,
 * otherwise pg's own lost-connection error, without a code. Anything else fails.
 */
export function expectKilledSession(error: unknown): void {
  expect(error).toBeInstanceOf(OperationalError);
  const { code, message } = error as OperationalError;
  if (code === '57P01') expect(error).toBeInstanceOf(AdminShutdownError);
  else expect([code, message]).toEqual([undefined, expect.stringMatching(/Connection terminated unexpectedly/)]);
}
