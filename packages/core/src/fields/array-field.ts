import { type Expressible, fn, isExpressible, type Node, raw, value } from '@pewit/query';
import type { Condition } from '../expressions/expression.js';
import { Expression } from '../expressions/expression.js';
import { FunctionExpression } from '../expressions/functions.js';
import { binaryOp } from '../expressions/operators.js';
import { parseArrayLiteral } from '../types/text-decoders.js';
import { type AnyField, ConversionFailure, Field, type FieldOptions, type FieldOwner, type Nullable, type RequiredOnInsert } from './field.js';

class ArrayFieldImpl extends Field<any, any, any> {
  constructor(
    private readonly element: AnyField,
    options: FieldOptions<unknown[]>,
  ) {
    super(options);
  }
  /** A getter: the element's type may be known only once it is bound (an enum's derived name). */
  get sqlType(): string {
    return `${this.element.castType}[]`;
  }
  override get ownedType() {
    return this.element.ownedType;
  }
  override bind(owner: FieldOwner, name: string, columnName: string): void {
    super.bind(owner, name, columnName);
    this.element.bindElement(owner, name, columnName);
  }
  protected convert(v: unknown): any[] {
    if (!Array.isArray(v)) throw new ConversionFailure('expected an array');
    return v.map((item, i) => {
      if ((item === null || item === undefined) && !this.element.nullable)
        throw new ConversionFailure(
          `element ${i} is null; to allow NULL elements declare the element field with { null: true }, e.g. ArrayField(IntegerField({ null: true }))`,
        );
      try {
        // NULL elements are allowed exactly when the element field is nullable, as its type says.
        return this.element.coerce(item);
      } catch (error) {
        throw new ConversionFailure(`element ${i}: ${(error as Error).message.replace(/^[^:]*: /, '')}`);
      }
    });
  }
  override toDb(v: any[]): unknown[] {
    return v.map((item) => (item === null ? null : this.element.toDb(item)));
  }
  fromDb(text: string): any[] {
    // The literal parses into nested arrays at every depth, so the leaves belong to the innermost element field:
    // for ArrayField(ArrayField(IntegerField())) that is the IntegerField, not the inner ArrayField.
    let leaf: AnyField = this.element;
    while (leaf instanceof ArrayFieldImpl) leaf = leaf.element;
    const walk = (items: unknown[]): unknown[] => items.map((x) => (Array.isArray(x) ? walk(x) : x === null ? null : leaf.fromDb(x as string)));
    return walk(parseArrayLiteral(text));
  }

  /** An array operand: validated element by element, sent as one parameter cast to the column's type. */
  #array(items: unknown): Node {
    if (isExpressible(items)) return (items as Expressible).toNode();
    if (items === null || items === undefined) throw this.invalid('expected an array of values to compare with, received null');
    return value(this.toParam(items), this.castType);
  }
  override contains(...items: any[]): Condition {
    return binaryOp(this, '@>', this.#array(items));
  }
  containedBy(items: unknown): Condition {
    return binaryOp(this, '<@', this.#array(items));
  }
  overlaps(items: unknown): Condition {
    return binaryOp(this, '&&', this.#array(items));
  }
  includes(item: unknown): Condition {
    const element = isExpressible(item) ? (item as Expressible).toNode() : value(this.element.toParam(item), this.element.castType);
    return new Expression<boolean>(raw(['', ' = ANY(', ')'], [element, this.toNode()]));
  }
  at(index: number | Expressible): Expression<unknown> {
    if (!isExpressible(index) && !Number.isSafeInteger(index)) throw this.invalid(`at(): expected an integer index, received ${String(index)}`);
    const node = isExpressible(index) ? (index as Expressible).toNode() : value(index, 'integer');
    return new Expression(raw(['', '[', ']'], [this.toNode(), node]));
  }
  length(): FunctionExpression<number | null> {
    return new FunctionExpression<number | null>(fn('cardinality', [this.toNode()]));
  }
}

type ValueOf<F> = F extends Field<infer T, any, any> ? T : never;

/**
 * The operators of an array column (values are parameters cast to the column's type).
 * @example Post.tags.contains('a', 'b')   // "posts"."tags" @> $1::text[]
 * @example Post.tags.containedBy(['a'])   // "posts"."tags" <@ $1::text[]
 * @example Post.tags.overlaps(['a', 'z']) // "posts"."tags" && $1::text[]
 * @example Post.tags.includes('a')        // $1::text = ANY("posts"."tags")
 * @example Post.tags.at(1)                // "posts"."tags"[$1::integer] (1-based, NULL beyond the end)
 * @example Post.tags.length()             // cardinality("posts"."tags")
 */
export interface ArrayOperators<E> {
  /** `@>`: has every one of the items. */
  contains(...items: E[]): Condition;
  /** `<@`: every element is one of the items. */
  containedBy(items: readonly E[] | Expressible): Condition;
  /** `&&`: has at least one of the items. */
  overlaps(items: readonly E[] | Expressible): Condition;
  /** `$1 = ANY(col)`: one element equals the item. */
  includes(item: E | Expressible): Condition;
  /** `col[i]`: the element at a 1-based index, `NULL` beyond the end. */
  at(index: number | Expressible): Expression<E | null>;
  /** `cardinality(col)`: the number of elements (0 for `{}`, `NULL` for a NULL array). */
  length(): FunctionExpression<number | null>;
}

/** An array column: a field with the array operators. */
export type ArrayColumn<E, T, R extends boolean> = Field<T, T, R> & ArrayOperators<E>;

/**
 * A PostgreSQL array of another field's type. Elements may be NULL only when
 * the element field is declared `{ null: true }`.
 * @example tags: ArrayField(TextField()) // "tags" text[] NOT NULL
 * @example scores: ArrayField(IntegerField({ null: true })) // (number | null)[]
 */
export function ArrayField<F extends AnyField, const O extends FieldOptions<ValueOf<F>[]> = {}>(
  of: F,
  options?: O,
): ArrayColumn<ValueOf<F>, Nullable<O, ValueOf<F>[]>, RequiredOnInsert<O>> {
  return new ArrayFieldImpl(of, (options ?? {}) as FieldOptions<unknown[]>) as never;
}
