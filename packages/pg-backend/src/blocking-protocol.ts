import type { RawResult } from '@pewit/core';
import type { PackedRows } from './blocking-rows.js';

/** Main thread → worker. */
export interface BlockingRequest {
  readonly id: number;
  readonly text: string;
  readonly values: readonly unknown[];
}

/** The fields of a driver error that survive the thread boundary (structured clone drops custom properties). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly table?: string;
  readonly column?: string;
  readonly constraint?: string;
  readonly schema?: string;
  readonly detail?: string;
}

/** A result as it crosses the thread boundary: its rows packed into strings (`blocking-rows.ts`). */
export type BlockingResult = Omit<RawResult, 'rows'> & { readonly rows: PackedRows };

/** Worker → main thread. */
export type BlockingResponse = { readonly id: number; readonly result: BlockingResult } | { readonly id: number; readonly error: SerializedError };

/** Slot 0 of the shared signal: 0 while waiting, 1 once the worker has posted its answer, 2 when the worker thread is exiting. */
export const SIGNAL_WAITING = 0;
export const SIGNAL_READY = 1;
export const SIGNAL_DEAD = 2;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & Record<string, unknown>;
  const pick = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  return {
    name: e.name,
    message: e.message,
    code: pick('code'),
    table: pick('table'),
    column: pick('column'),
    constraint: pick('constraint'),
    schema: pick('schema'),
    detail: pick('detail'),
  };
}

/** Rebuilds an Error carrying the driver's fields, for core's error mapping. */
export function deserializeError(data: SerializedError): Error {
  return Object.assign(new Error(data.message), data);
}

/**
 * Busy-waits while slot 0 of `signal` holds `value`, for at most `millis`. A thread that sleeps and is woken costs
 * tens of microseconds (more on a virtual machine, whose idle CPU halts); one that spins through a quick answer
 * pays nothing but the CPU it spins on.
 */
export function spinWhile(signal: Int32Array, value: number, millis: number): void {
  if (millis <= 0) return;
  const end = performance.now() + millis;
  while (Atomics.load(signal, 0) === value && performance.now() < end) {
    // Nothing to do but look again.
  }
}
