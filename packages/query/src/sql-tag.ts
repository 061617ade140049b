import { alias } from './nodes/alias.js';
import { column } from './nodes/identifier.js';
import { JOIN_SEPARATORS, oneOf } from './nodes/keywords.js';
import { isNode, type Node } from './nodes/node.js';
import { type RawNode, raw, value } from './nodes/value.js';

/** Anything that can turn itself into a SQL node: columns, expressions, queries. */
export interface Expressible {
  toNode(): Node;
}

export function isExpressible(v: unknown): v is Expressible {
  return typeof v === 'object' && v !== null && typeof (v as Expressible).toNode === 'function';
}

/** Turns an interpolated value into a node: nodes and expressions as they are, anything else as a parameter. */
export function toNode(v: unknown): Node {
  if (isNode(v)) return v;
  if (isExpressible(v)) return v.toNode();
  return value(v);
}

/** A `sql` fragment with an output name, for a selection: `sql\`…\`.as('name')`. */
export interface AliasedFragment<N extends string = string, T = unknown> extends Expressible {
  /** Phantom: the type the column is declared to yield. */
  readonly __type?: T;
  readonly alias: N;
  readonly fragment: RawNode;
}

/** A raw SQL fragment that also remembers it came from the `sql` tag. */
export type SqlFragment = RawNode &
  Expressible & {
    /**
     * `fragment AS "name"`, to select it under a name (the key in `.dicts()` rows); the name is a quoted identifier.
     * @example User.select(User.id, sql`1`.as<'one', number>('one')) // SELECT "users"."id", 1 AS "one" FROM "users"
     */
    as<N extends string, T = unknown>(name: N): AliasedFragment<N, T>;
  };

function fragment(node: RawNode): SqlFragment {
  const made = { ...node, toNode: () => node };
  // Not enumerable: node trees are compared key by key, and a closure would make equal fragments differ.
  Object.defineProperty(made, 'as', {
    value: (name: string): AliasedFragment => {
      if (typeof name !== 'string' || name.length === 0) throw new TypeError(`sql\`…\`.as(): pass a column name, received ${typeof name}`);
      const aliased = alias(node, name);
      return Object.freeze({ alias: name, fragment: node, toNode: () => aliased });
    },
  });
  return Object.freeze(made) as SqlFragment;
}

/**
 * Writes a raw SQL fragment. Interpolated values are always sent as
 * parameters; interpolated columns, expressions and queries are compiled in
 * place.
 *
 * @example
 * sql`lower(${User.username}) = ${'alice'}`
 * // => lower("users"."username") = $1   with values ['alice']
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  return fragment(raw(strings, values.map(toNode)));
}

/**
 * A quoted identifier, for table or column names chosen at run time.
 *
 * @example sql`SELECT ${sql.identifier('order')} FROM t` // => SELECT "order" FROM t
 */
sql.identifier = (name: string, tableName?: string): Node => column(name, tableName);

/**
 * Trusted SQL text inserted verbatim. Never pass user input: it is not escaped.
 *
 * @example sql`SELECT * FROM t ${sql.unsafe('ORDER BY 1')}`
 */
sql.unsafe = (text: string): SqlFragment => fragment(raw([text]));

/**
 * Joins fragments with a separator (default `, `). A string separator must be
 * one of a closed list (`, ` `,` ` ` ` AND ` ` OR ` ` || ` ` + ` ` UNION `
 * ` UNION ALL ` and newlines): it becomes SQL text. Any other separator is
 * written with the `sql` tag, e.g. `sql` + "` INTERSECT `".
 *
 * @example sql`SELECT ${sql.join([sql`1`, sql`2`])}` // => SELECT 1, 2
 * @example sql`WHERE ${sql.join([sql`a`, sql`b`], ' AND ')}` // => WHERE a AND b
 */
sql.join = (items: readonly unknown[], separator: string | SqlFragment = ', '): SqlFragment => {
  if (typeof separator !== 'string' && !(isNode(separator) && separator.kind === 'raw')) {
    throw new TypeError('sql.join separator: expected a string from the list or a sql`…` fragment');
  }
  if (typeof separator === 'string') oneOf('sql.join separator', separator, JOIN_SEPARATORS);
  const nodes = items.map(toNode);
  if (typeof separator === 'string') {
    const parts = items.length === 0 ? [''] : ['', ...items.slice(1).map(() => separator), ''];
    return fragment(raw(parts, nodes));
  }
  // A fragment separator is interleaved as a node, so its own parameters stay parameters.
  const parts: string[] = [''];
  const all: Node[] = [];
  nodes.forEach((n, i) => {
    if (i > 0) {
      all.push(separator.toNode());
      parts.push('');
    }
    all.push(n);
    parts.push('');
  });
  return fragment(raw(parts, all));
};
