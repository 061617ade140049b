import { checkTypeName } from './keywords.js';
import { freeze, type Node } from './node.js';

/** A value sent as a `$n` parameter; never spliced into the SQL text. */
export interface ValueNode {
  readonly kind: 'value';
  readonly value: unknown;
  /** Optional PostgreSQL type to cast the parameter to, e.g. `jsonb`. */
  readonly cast?: string | undefined;
}

/**
 * A raw SQL fragment: literal text parts interleaved with nodes. Built by the
 * `sql` template tag; the text parts are the author's, every interpolation is
 * a node (usually a parameter).
 */
export interface RawNode {
  readonly kind: 'raw';
  readonly parts: readonly string[];
  readonly nodes: readonly Node[];
}

/**
 * A parameter, optionally cast (`$1::jsonb`); the cast must look like a type name.
 * @example value('alice') // $1
 */
export function value(v: unknown, cast?: string): ValueNode {
  return freeze({ kind: 'value', value: v, cast: cast === undefined ? undefined : checkTypeName('value cast', cast) });
}

export function raw(parts: readonly string[], nodes: readonly Node[] = []): RawNode {
  if (parts.length !== nodes.length + 1) {
    throw new TypeError(`raw(): expected ${nodes.length + 1} text parts for ${nodes.length} nodes, got ${parts.length}`);
  }
  return freeze({ kind: 'raw', parts: Object.freeze([...parts]), nodes: Object.freeze([...nodes]) });
}
