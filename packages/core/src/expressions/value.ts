import { value } from '@pewit/query';
import { Expression } from './expression.js';

/** The type a constant is sent as when none is given: a bare `$1` in a SELECT list would be text. */
function inferredType(v: unknown): string {
  if (typeof v === 'number') return Number.isSafeInteger(v) && Math.abs(v) <= 2_147_483_647 ? 'integer' : 'double precision';
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'text';
  if (v instanceof Date) return 'timestamptz';
  throw new TypeError(`Value(): cannot tell the SQL type of ${v === null ? 'null' : typeof v}; pass it, e.g. Value(null, 'integer')`);
}

/**
 * A constant, sent as a parameter with its type (peewee's `Value`): select it as a
 * column, compare with it, or use it in a function. Numbers are `integer` (or
 * `double precision`), strings `text`, booleans `boolean`, dates `timestamptz`;
 * pass `type` for anything else.
 *
 * @example User.select(User.id, Value(1).as('one'))     // SELECT "users"."id", $1::integer AS "one" FROM "users"
 * @example Value(null, 'text').as('note')                // $1::text AS "note"
 */
export function Value<T>(v: T, type?: string): Expression<T> {
  return new Expression<T>(value(v, type ?? inferredType(v)));
}
