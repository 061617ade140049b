import { column, type Expressible, isExpressible, type Node, value } from '@pewit/query';
import { ValidationError } from '../errors/usage-errors.js';
import { Expression, type Operand } from '../expressions/expression.js';
import type { EnumTypeDefinition } from './enum-field.js';

/** Options every field accepts. */
export interface FieldOptions<T> {
  /** Allow NULL (the TypeScript type becomes `T | null`). */
  readonly null?: boolean;
  /** A value, or a function called once per new instance. */
  readonly default?: T | (() => T);
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly primaryKey?: boolean;
  /** Column name; by default the property name in snake_case. */
  readonly columnName?: string;
  /** A CHECK constraint, as trusted SQL written by the developer (e.g. `'likes >= 0'`). */
  readonly check?: string;
}

/** The TypeScript type of a field's value given its options. */
export type Nullable<O, T> = O extends { null: true } ? T | null : T;
/** Whether a field must be given on insert: not nullable, no default, not generated. */
export type RequiredOnInsert<O> = O extends { null: true } ? false : O extends { default: unknown } ? false : true;

/** Where a field belongs: enough of its model for SQL and messages. */
export interface FieldOwner {
  /** Display name for messages, e.g. `User`. */
  readonly name: string;
  readonly table: string;
  readonly schema?: string | undefined;
}

/** Thrown inside `convert` to say what was wrong; turned into a ValidationError that names model and field. */
export class ConversionFailure extends Error {}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} (string)`;
  if (typeof v === 'bigint') return `${v}n (bigint)`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()})`;
  if (typeof v === 'object') return `${(v as object).constructor?.name ?? 'object'} (object)`;
  return `${String(v)} (${typeof v})`;
}

/**
 * A column of a model. It is also an expression, so `User.age.gte(18)`
 * works; comparison operands are validated and converted like writes.
 *
 * `T` is the value read from an instance, `TIn` what writes and comparisons
 * accept, `R` whether an insert must provide it.
 */
export abstract class Field<T = unknown, TIn = T, R extends boolean = boolean> extends Expression<T, TIn> {
  declare readonly __required?: R;
  /** PostgreSQL type in DDL, e.g. `integer`, `varchar(50)`. */
  abstract readonly sqlType: string;
  /** Property name on the model; set when the model is defined. */
  name = '';
  /** Column name in the table. */
  columnName = '';
  owner: FieldOwner | undefined;

  constructor(readonly options: FieldOptions<any> = {}) {
    super();
  }

  /**
   * The column's own type for a parameter cast (`$1::<castType>`), so the
   * server never guesses `text` for a CASE branch or an array operand:
   * `sqlType` without the serial shorthands.
   */
  get castType(): string {
    const type = this.sqlType;
    return type === 'serial' ? 'integer' : type === 'bigserial' ? 'bigint' : type === 'smallserial' ? 'smallint' : type;
  }

  /**
   * Lets a field that wraps this one (an array's element) lend it its model
   * and column, so messages and derived names (an enum's type) are the
   * wrapper's. No-op for a field already bound.
   */
  bindElement(owner: FieldOwner, name: string, columnName: string): void {
    if (this.owner) return;
    this.owner = owner;
    this.name = name;
    this.columnName = columnName;
  }

  /** A type this column needs created before its table (an enum), or undefined. */
  get ownedType(): EnumTypeDefinition | undefined {
    return undefined;
  }

  /** True for fields filled in by the server (serial keys). */
  get generated(): boolean {
    return false;
  }

  get isPrimaryKey(): boolean {
    return this.options.primaryKey === true;
  }

  get nullable(): boolean {
    return this.options.null === true;
  }

  /** Attaches the field to its model; a field object can belong to one model only. */
  bind(owner: FieldOwner, name: string, columnName: string): void {
    if (this.owner)
      throw new TypeError(`field "${name}" of ${owner.name} is already used by ${this.owner.name}.${this.name}: create a new field for each model`);
    this.owner = owner;
    this.name = name;
    this.columnName = columnName;
  }

  #node: Node | undefined;

  override toNode(): Node {
    // One node per bound field: the compiler caches what it wrote for a node, so every query reuses the quoted column.
    if (this.#node) return this.#node;
    const node = column(this.columnName, this.owner?.table);
    if (this.owner) this.#node = node;
    return node;
  }

  /** This column qualified by another table name or alias (joins of the same model twice). */
  qualifiedBy(tableOrAlias: string): Node {
    return column(this.columnName, tableOrAlias);
  }

  /** The default for a new instance, or `undefined` when there is none. */
  defaultValue(): T | undefined {
    const d = this.options.default;
    return typeof d === 'function' ? (d as () => T)() : (d as T | undefined);
  }

  /**
   * Validates and normalises a value written to this field. Throws a
   * ValidationError naming model and field; nothing is sent to the server.
   */
  coerce(v: unknown): T {
    if (v === null || v === undefined) {
      if (this.nullable || (v === undefined && this.generated)) return null as T;
      throw this.invalid(`cannot be null (declare it with { null: true } to allow it)`);
    }
    try {
      return this.convert(v);
    } catch (error) {
      if (error instanceof ConversionFailure) throw this.invalid(`${error.message}, received ${describeValue(v)}`);
      throw error;
    }
  }

  invalid(message: string): ValidationError {
    return new ValidationError(message, this.owner?.name ?? '(unbound model)', this.name || '(unbound field)');
  }

  /** Normalises a non-null value or throws ConversionFailure with what was expected. */
  protected abstract convert(v: unknown): T;

  /** Turns a normalised value into what the driver sends as a parameter. */
  toDb(v: T): unknown {
    return v;
  }

  /** Turns the server's text representation into the field's value. */
  abstract fromDb(text: string): T;

  /** Comparison operands go through the same validation and conversion as writes. */
  protected override operand(v: Operand<TIn> | unknown): Node {
    if (isExpressible(v)) return (v as Expressible).toNode();
    return value(this.toParam(v));
  }

  /** Validates and converts a value for use as a parameter. */
  toParam(v: unknown): unknown {
    const normalised = this.coerce(v);
    return normalised === null ? null : this.toDb(normalised);
  }
}

/** Any field, whatever its types. */
export type AnyField = Field<any, any, boolean>;
