import type { ColumnDescription, EnumDescription } from './schema-description.js';
import { literal } from './source-names.js';

/** A field call without its options: `CharField`, `{ maxLength: 50 }`. */
export interface FieldCall {
  /** The imported name of the field function, e.g. `CharField`. */
  readonly fn: string;
  /** A type argument, e.g. `unknown` for `JSONField<unknown>`. */
  readonly typeArgument?: string;
  /** Options the type itself needs (`maxLength`, `typeName`, a custom field's spec), as source. */
  readonly options: [string, string][];
  /** A first argument before the options (EnumField's values), as source. */
  readonly first?: string;
  /** Set when the type has no pewit field and becomes a customField: a note for the report. */
  readonly custom?: string;
}

const SIMPLE: Record<string, string> = {
  integer: 'IntegerField',
  smallint: 'SmallIntegerField',
  bigint: 'BigIntegerField',
  'double precision': 'FloatField',
  text: 'TextField',
  boolean: 'BooleanField',
  'timestamp with time zone': 'DateTimeField',
  date: 'DateField',
  'time without time zone': 'TimeField',
  uuid: 'UUIDField',
  bytea: 'ByteaField',
  interval: 'IntervalField',
  inet: 'InetField',
  cidr: 'CidrField',
  tsvector: 'TSVectorField',
};

const NUMBER_TYPES = new Set(['real', 'smallint', 'integer', 'double precision', 'oid']);

/** A customField of the type's text form (or a number), so no column is dropped for want of a field. */
function custom(sqlType: string, base: string | undefined, why: string): FieldCall {
  const numeric = NUMBER_TYPES.has(base ?? sqlType);
  return {
    fn: 'customField',
    typeArgument: numeric ? 'number' : 'string',
    options: [
      ['sqlType', literal(sqlType)],
      ['toDatabase', numeric ? '(v) => String(v)' : '(v) => v'],
      ['fromDatabase', numeric ? '(text) => Number(text)' : '(text) => text'],
    ],
    custom: why,
  };
}

/** The pewit field for a column type (not an array: see `fieldForColumn`). */
function fieldForType(type: string, column: ColumnDescription, enums: ReadonlyMap<string, EnumDescription>, modelSchema: string): FieldCall {
  const simple = SIMPLE[type];
  if (simple) return { fn: simple, options: [] };
  if (type === 'jsonb') return { fn: 'JSONField', typeArgument: 'unknown', options: [] };
  const varchar = /^character varying\((\d+)\)$/.exec(type);
  if (varchar) return { fn: 'CharField', options: [['maxLength', varchar[1] as string]] };
  const char = /^character\((\d+)\)$/.exec(type);
  if (char) return { fn: 'FixedCharField', options: [['length', char[1] as string]] };
  if (type === 'numeric') return { fn: 'DecimalField', options: [] };
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (numeric)
    return {
      fn: 'DecimalField',
      options: [
        ['maxDigits', numeric[1] as string],
        ['decimalPlaces', numeric[2] as string],
      ],
    };
  // CITextField writes `citext`, found through the search path: only the extension in public maps back to it.
  if (type === 'public.citext') return { fn: 'CITextField', options: [] };
  const e = enums.get(type);
  if (e) {
    const typeName = e.schema === modelSchema ? e.name : `${e.schema}.${e.name}`;
    return { fn: 'EnumField', first: `[${e.values.map(literal).join(', ')}] as const`, options: [['typeName', literal(typeName)]] };
  }
  if (column.typeKind === 'domain')
    return custom(type, column.baseType?.replace(/\[\]$/, ''), `domain ${type} (over ${column.baseType}); pewit does not create domains`);
  return custom(type, undefined, `type ${type} has no pewit field`);
}

/** Source of a field call: `CharField({ maxLength: 50, null: true })`. */
export function callSource(call: FieldCall, extra: readonly [string, string][]): string {
  const options = [...call.options, ...extra];
  const args = [call.first, options.length ? `{ ${options.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : undefined].filter(Boolean);
  return `${call.fn}${call.typeArgument ? `<${call.typeArgument}>` : ''}(${args.join(', ')})`;
}

/**
 * The field of a column, arrays as `ArrayField(element)`: its call and the
 * imports it needs. Enum types are looked up by their normalised name.
 */
export function fieldForColumn(
  column: ColumnDescription,
  enums: ReadonlyMap<string, EnumDescription>,
  modelSchema: string,
): { readonly call: FieldCall; readonly element?: FieldCall } {
  if (column.elementType !== undefined) {
    const element = fieldForType(column.elementType, column, enums, modelSchema);
    // A customField array keeps the whole array type in one custom field: its text form is the array literal.
    if (element.custom) return { call: custom(column.type, undefined, `${element.custom} (array)`) };
    return { call: { fn: 'ArrayField', options: [] }, element };
  }
  return { call: fieldForType(column.type, column, enums, modelSchema) };
}
