import { quotedTypeName } from '../types/type-name.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

/** An enum type a column uses: what `createTables` creates and `dropTables` drops. */
export interface EnumTypeDefinition {
  /** The quoted, possibly schema-qualified name, as written in DDL and casts. */
  readonly sql: string;
  /** The schema named for it (the model's, or the one in `typeName`), else undefined: the search path decides. */
  readonly schema: string | undefined;
  readonly name: string;
  readonly values: readonly string[];
  /** False when the type exists already and pewit must neither create nor drop it. */
  readonly create: boolean;
}

/** Options of `EnumField`. */
export interface EnumOptions<V> extends FieldOptions<V> {
  /**
   * The enum type's name, `'post_status'` or `'app.post_status'`; by default
   * `<table>_<column>` in the model's schema.
   */
  readonly typeName?: string;
  /** `false`: the type exists already (made by a migration, shared with other tables); createTables and dropTables leave it alone. */
  readonly createType?: boolean;
}

export class EnumFieldImpl extends Field<any, any, any> {
  readonly values: readonly string[];
  constructor(
    values: readonly string[],
    private readonly enumOptions: EnumOptions<string>,
  ) {
    super(enumOptions);
    if (!Array.isArray(values) || values.length === 0) throw new TypeError("EnumField: pass the values, e.g. EnumField(['draft', 'published'] as const)");
    for (const v of values) {
      if (typeof v !== 'string' || v === '' || v.includes('\u0000') || Buffer.byteLength(v) > 63)
        throw new TypeError(`EnumField: ${JSON.stringify(v)} is not an enum label (a non-empty string of at most 63 bytes)`);
    }
    if (new Set(values).size !== values.length) throw new TypeError(`EnumField: the values ${JSON.stringify(values)} repeat a label`);
    this.values = Object.freeze([...values]);
  }

  /** The enum type, once the field belongs to a model (its default name comes from table and column). */
  get enumType(): EnumTypeDefinition {
    const given = this.enumOptions.typeName;
    if (given === undefined && !this.owner)
      throw new TypeError('EnumField: its type name is derived from the table and column; use the field in a model first, or pass { typeName }');
    const { sql, schema, name } = quotedTypeName(given ?? `${this.owner?.table}_${this.columnName}`, this.owner?.schema);
    return { sql, schema, name, values: this.values, create: this.enumOptions.createType !== false };
  }

  override get ownedType(): EnumTypeDefinition | undefined {
    return this.enumType;
  }

  get sqlType(): string {
    return this.enumType.sql;
  }

  protected convert(v: unknown): string {
    if (typeof v !== 'string' || !this.values.includes(v))
      throw new ConversionFailure(`expected one of ${this.values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v;
  }

  fromDb(text: string): string {
    return text;
  }
}

/**
 * A PostgreSQL enum; the TypeScript type is the union of the values.
 * `createTables` creates the type (`CREATE TYPE … AS ENUM`) before the tables,
 * `dropTables` drops it after them (when no other column still uses it).
 *
 * @example status: EnumField(['draft', 'published'] as const) // "status" "posts_status" NOT NULL; CREATE TYPE "posts_status" AS ENUM ('draft', 'published')
 * @example mood: EnumField(['ok', 'sad'], { typeName: 'mood', null: true }) // 'ok' | 'sad' | null
 */
export function EnumField<const V extends readonly [string, ...string[]], const O extends EnumOptions<V[number]> = {}>(
  values: V,
  options?: O,
): Field<Nullable<O, V[number]>, Nullable<O, V[number]>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new EnumFieldImpl(values, (options ?? {}) as EnumOptions<string>);
}
