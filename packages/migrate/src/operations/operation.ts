import { compile, type Expressible, type Node, raw } from '@pewit/query';

/** One SQL statement of an operation: its compiled text (for `--dry-run` and logs) and the node that runs it. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly node: Node;
}

/**
 * A check run before an operation's statements: when `query`'s first cell is
 * true the operation is refused with `refusal`, before anything changed.
 */
export interface Guard {
  readonly query: Statement;
  /** What `--dry-run` prints for the check. */
  readonly describes: string;
  readonly refusal: string;
}

/**
 * One schema change of a migration: its statements, what undoes it, and what it
 * costs. Operations are plain frozen values; `m.addColumn(…)` and friends make
 * them, the runner sends their statements.
 *
 * @example
 * const op = addColumn('users', 'bio', { type: 'text' });
 * op.statements[0].text; // ALTER TABLE "users" ADD COLUMN "bio" text
 * op.invert?.().statements[0].text; // ALTER TABLE "users" DROP COLUMN "bio"
 */
export interface Operation {
  /** The factory that made it: `addColumn`, `dropTable`, … */
  readonly kind: string;
  /** For progress lines and errors: `add column users.bio`. */
  readonly description: string;
  readonly statements: readonly Statement[];
  readonly guards: readonly Guard[];
  /** Why the operation loses data (a dropped column's values), or undefined when it loses none. */
  readonly destructive: string | undefined;
  /** False for statements PostgreSQL refuses inside a transaction (`CREATE INDEX CONCURRENTLY`). */
  readonly transactional: boolean;
  /** The operation that undoes this one, when one can be written. */
  readonly invert: (() => Operation) | undefined;
  /** Why there is no inverse (set exactly when `invert` is undefined). */
  readonly irreversible: string | undefined;
}

/** A statement from SQL text pewit wrote itself (every identifier quoted, no parameters). */
export function ddl(text: string): Statement {
  return Object.freeze({ text, values: Object.freeze([]), node: raw([text]) });
}

/** A statement from a node or `sql` fragment, which may hold parameters (a raw step, a backfill UPDATE). */
export function statementOf(expressible: Expressible): Statement {
  const node = expressible.toNode();
  const { text, values } = compile(node);
  return Object.freeze({ text, values: Object.freeze([...values]), node });
}

interface OperationParts {
  readonly kind: string;
  readonly description: string;
  readonly statements: readonly Statement[];
  readonly guards?: readonly Guard[];
  readonly destructive?: string | undefined;
  readonly transactional?: boolean;
  /** The inverse, or the reason there is none. */
  readonly inverse: (() => Operation) | string;
}

export function operation(parts: OperationParts): Operation {
  const reversible = typeof parts.inverse === 'function';
  return Object.freeze({
    kind: parts.kind,
    description: parts.description,
    statements: Object.freeze([...parts.statements]),
    guards: Object.freeze([...(parts.guards ?? [])]),
    destructive: parts.destructive,
    transactional: parts.transactional ?? true,
    invert: reversible ? (parts.inverse as () => Operation) : undefined,
    irreversible: reversible ? undefined : (parts.inverse as string),
  });
}
