import type { Node } from '../nodes/node.js';

/**
 * The expressions of one SELECT that PostgreSQL must see as the same text
 * wherever they appear: GROUP BY, DISTINCT ON, select-list and ORDER BY
 * items. `date_trunc($1, at)` in SELECT and `date_trunc($2, at)` in GROUP BY
 * are two expressions to PostgreSQL ("must appear in the GROUP BY clause"),
 * so the first text written for such an expression, placeholders included,
 * is written again for every structurally equal occurrence.
 *
 * Only expressions that hold a parameter *and* a column are shared: their
 * parameters take their types from inside the expression. A bare value (or a
 * value-only fragment) takes its type from where it stands, so two equal
 * values in different places stay two parameters (one `$n` compared with a
 * jsonb and a text column would make PostgreSQL deduce one type for both).
 */
export class SharedExpressions {
  readonly #keys: Node[] = [];
  readonly #texts: (string | undefined)[] = [];

  /** Registers `node` when it is worth sharing; returns whether it was. */
  add(node: Node): void {
    if (!SHAREABLE.has(node.kind)) return;
    const flags = scan(node, 0);
    if ((flags & BOTH) !== BOTH) return;
    if (this.#keys.some((k) => sameTree(k, node))) return;
    this.#keys.push(node);
    this.#texts.push(undefined);
  }

  get size(): number {
    return this.#keys.length;
  }

  /** Index of a registered expression equal to `node`, or -1. */
  find(node: Node): number {
    for (let i = 0; i < this.#keys.length; i++) if (sameTree(this.#keys[i], node)) return i;
    return -1;
  }

  text(i: number): string | undefined {
    return this.#texts[i];
  }

  record(i: number, text: string): void {
    this.#texts[i] = text;
  }
}

/** Kinds that may be shared: composite expressions (leaves have nothing to share, statements have their own scope). */
export const SHAREABLE: ReadonlySet<string> = new Set([
  'binary',
  'unary',
  'logical',
  'function',
  'cast',
  'case',
  'raw',
  'list',
  'window',
  'extract',
  'collate',
]);

const HAS_VALUE = 1;
const HAS_COLUMN = 2;
const BOTH = HAS_VALUE | HAS_COLUMN;
const STATEMENTS = new Set(['select', 'compound', 'insert', 'update', 'delete']);

/** Whether a tree holds parameters and columns; subqueries are not looked into. */
function scan(v: unknown, flags: number): number {
  if (typeof v !== 'object' || v === null) return flags;
  if (Array.isArray(v)) {
    for (const item of v) flags = scan(item, flags);
    return flags;
  }
  const kind = (v as { kind?: unknown }).kind;
  if (kind === 'value') return flags | HAS_VALUE;
  if (kind === 'column' || kind === 'star') return flags | HAS_COLUMN;
  if (typeof kind === 'string' && STATEMENTS.has(kind)) return flags;
  for (const item of Object.values(v)) flags = scan(item, flags);
  return flags;
}

/** Structural equality of two node trees, values compared by content (dates by time, bytes by byte). */
export function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTree(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.every((byte, i) => byte === y[i]);
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(x)) if (!sameTree(x[k], y[k])) return false;
  for (const k of Object.keys(y)) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}
