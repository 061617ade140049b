/**
 * The closed lists of SQL words a builder option may become. Anything a
 * caller passes that is written into the SQL text as a keyword is checked
 * against one of these lists, where the node is built and again when it is
 * compiled (nodes can also be written as object literals), so no string a
 * caller chose reaches the SQL text unchecked.
 */

/** Binary operators the compiler writes between two operands. */
export const BINARY_OPERATORS = [
  '=',
  '<>',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '||',
  'AND',
  'OR',
  'IN',
  'NOT IN',
  'LIKE',
  'NOT LIKE',
  'ILIKE',
  'NOT ILIKE',
  'SIMILAR TO',
  'IS',
  'IS NOT',
  'IS DISTINCT FROM',
  'IS NOT DISTINCT FROM',
  '~',
  '~*',
  '!~',
  '!~*',
  '@>',
  '<@',
  '&&',
  '?',
  '?|',
  '?&',
  '->',
  '->>',
  '#>',
  '#>>',
  '@@',
  '-|-',
  '<<',
  '>>',
  '&<',
  '&>',
  '&',
  '|',
  '#',
] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

/** Prefix and postfix operators. */
export const UNARY_OPERATORS = ['NOT', 'EXISTS', 'NOT EXISTS', '-', 'IS NULL', 'IS NOT NULL', 'IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE'] as const;
export type UnaryOperator = (typeof UNARY_OPERATORS)[number];

export const JOIN_TYPES = ['inner', 'left', 'right', 'full', 'cross'] as const;
export const FRAME_TYPES = ['ROWS', 'RANGE', 'GROUPS'] as const;
export const FRAME_EXCLUSIONS = ['CURRENT ROW', 'GROUP', 'TIES', 'NO OTHERS'] as const;
export const DIRECTIONS = ['ASC', 'DESC'] as const;
export const NULLS_ORDERINGS = ['FIRST', 'LAST'] as const;
export const LOCK_STRENGTHS = ['UPDATE', 'NO KEY UPDATE', 'SHARE', 'KEY SHARE'] as const;
export const LOCK_WAITS = ['SKIP LOCKED', 'NOWAIT'] as const;
export const SET_OPERATORS = ['UNION', 'UNION ALL', 'INTERSECT', 'INTERSECT ALL', 'EXCEPT', 'EXCEPT ALL'] as const;
export const LOGICAL_OPERATORS = ['AND', 'OR'] as const;
export const CONFLICT_ACTIONS = ['nothing', 'update'] as const;
/** Fields of `EXTRACT(field FROM …)` (PostgreSQL's list, lower case as written by callers). */
export const EXTRACT_FIELDS = [
  'century',
  'day',
  'decade',
  'dow',
  'doy',
  'epoch',
  'hour',
  'isodow',
  'isoyear',
  'julian',
  'microseconds',
  'millennium',
  'milliseconds',
  'minute',
  'month',
  'quarter',
  'second',
  'timezone',
  'timezone_hour',
  'timezone_minute',
  'week',
  'year',
] as const;
/** Grouping-set forms of GROUP BY. */
export const GROUPING_KINDS = ['ROLLUP', 'CUBE', 'GROUPING SETS'] as const;
/** Actions of a foreign key's `ON DELETE` / `ON UPDATE`. */
export const REFERENTIAL_ACTIONS = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'] as const;
/** Index methods of `CREATE INDEX … USING` built into PostgreSQL. */
export const INDEX_METHODS = ['btree', 'hash', 'gist', 'spgist', 'gin', 'brin'] as const;
/** Separators `sql.join` accepts as plain strings; anything else must be a `sql` fragment. */
export const JOIN_SEPARATORS = [', ', ',', ' ', ' AND ', ' OR ', ' || ', ' + ', ' UNION ', ' UNION ALL ', '\n', ',\n'] as const;

const sets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Shows a caller's value in an error without flooding it (very long strings, NUL). */
export function showValue(v: unknown): string {
  if (typeof v !== 'string') return `${String(v)} (${typeof v})`;
  const shown = v.length > 60 ? `${v.slice(0, 60)}…` : v;
  return JSON.stringify(shown);
}

/**
 * Returns `v` when it is one of `allowed`, or throws a TypeError naming the option, the value and the list.
 * @example oneOf('join type', 'left', JOIN_TYPES) // 'left'
 */
export function oneOf<const T extends string>(option: string, v: unknown, allowed: readonly T[]): T {
  let set = sets.get(allowed);
  if (!set) {
    set = new Set(allowed);
    sets.set(allowed, set);
  }
  if (typeof v === 'string' && set.has(v)) return v as T;
  throw new TypeError(`${option}: ${showValue(v)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

/** A frame bound: UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW, or N PRECEDING|FOLLOWING with N a literal integer. */
const FRAME_BOUND = /^(UNBOUNDED PRECEDING|UNBOUNDED FOLLOWING|CURRENT ROW|\d{1,18} PRECEDING|\d{1,18} FOLLOWING)$/;

export function checkFrameBound(option: string, v: unknown): string {
  if (typeof v === 'string' && FRAME_BOUND.test(v)) return v;
  throw new TypeError(`${option}: ${showValue(v)} is not one of UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW, N PRECEDING|FOLLOWING`);
}

/**
 * A PostgreSQL type name: words (optionally schema-qualified), an optional
 * `(n)` or `(n, m)`, and `[]` suffixes. Nothing else: no quotes, `;`, comments.
 */
const TYPE_NAME =
  /^([A-Za-z_][A-Za-z0-9_]*|"([^"\0]|"")+")(\.([A-Za-z_][A-Za-z0-9_]*|"([^"\0]|"")+"))?( [A-Za-z_][A-Za-z0-9_]*){0,3}(\(\d{1,6}(, ?\d{1,6})?\))?( with(out)? time zone)?(\[\])*$/;

export function checkTypeName(option: string, v: unknown): string {
  if (typeof v === 'string' && v.length <= 100 && TYPE_NAME.test(v)) return v;
  throw new TypeError(`${option}: ${showValue(v)} is not a PostgreSQL type name (expected e.g. "integer", "varchar(20)", "text[]")`);
}

/** A function name, optionally schema-qualified; written unquoted so `count` stays the built-in. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export function checkFunctionName(option: string, v: unknown): string {
  if (typeof v === 'string' && v.length <= 63 && FUNCTION_NAME.test(v)) return v;
  throw new TypeError(`${option}: ${showValue(v)} is not a valid SQL function name (letters, digits and _, optionally schema.name)`);
}
