import { type Expressible, type TableNode, table } from '@pewit/query';
import { type AnyField, Field } from '../fields/field.js';
import type { ModelMeta } from '../meta/model-meta.js';

import type { AnyModelClass, FieldsOf } from '../model/types.js';
import type { RowSource } from '../query/row-source.js';
import type { DictRow, TupleRow } from '../query/row-types.js';
import type { SelectQuery } from '../query/select-query.js';
import type { Selectable } from '../query/selection.js';

/** Slot of a model alias holding what it stands for. */
export const ALIAS_OF: unique symbol = Symbol('pewit.aliasOf');
/** Slot of an aliased field: the alias name and the model's own field. */
const ALIASED_FIELD: unique symbol = Symbol('pewit.aliasedField');

/** What a model alias stands for: the model, the name used in SQL, and the model's metadata. */
export interface AliasTarget {
  readonly model: AnyModelClass;
  readonly name: string;
  readonly meta: ModelMeta;
  readonly fields: readonly AnyField[];
}

/**
 * A model under another name in one query, for joining the same table twice
 * (`author` and `editor` of a post) or a table to itself. Its fields are
 * columns qualified by the alias; rows read through it are instances of the
 * model.
 */
export type ModelAlias<M extends AnyModelClass = AnyModelClass> = Expressible & {
  readonly [ALIAS_OF]: AliasTarget;
} & {
  /** Every column of the alias by field name, whatever the name (`Author.c.name`). */
  readonly c: { readonly [K in keyof FieldsOf<M>]: FieldsOf<M>[K] };
  /**
   * A SELECT with the alias as its FROM (`FROM "users" AS "u2"`), rows as dicts: for a
   * correlated subquery over the same table as the outer query. With no arguments every column is selected.
   * @example
   * const T2 = Tweet.alias('t2')
   * Tweet.select().where(Tweet.likes.eq(T2.select(fn.max(T2.likes)).where(T2.user.eq(Tweet.user))))
   * // … WHERE "tweets"."likes" = (SELECT max("t2"."likes") FROM "tweets" AS "t2" WHERE "t2"."user_id" = "tweets"."user_id")
   */
  select<const S extends readonly Selectable[]>(...selection: S): SelectQuery<DictRow<S, M>, DictRow<S, M>, TupleRow<S>>;
} & { readonly [K in keyof FieldsOf<M> as K extends AliasMemberName ? never : K]: FieldsOf<M>[K] };

/** Members of an alias itself: fields so named are reached through `alias.c` only. */
type AliasMemberName = 'c' | 'toNode' | 'select';

/**
 * Creates an alias of `model` named `name` (used by `Model.alias(name)`).
 * @example const Author = User.alias('author') // … INNER JOIN "users" AS "author" ON ("posts"."author_id" = "author"."id")
 */
export function aliasModel<M extends AnyModelClass>(model: M, name: string): ModelAlias<M> {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new TypeError(`${model._meta.name}.alias(): "${String(name)}" is not a valid alias; use letters, digits and _ (e.g. 'author')`);
  const meta = model._meta;
  const node: TableNode = table(meta.table, { schema: meta.schema, alias: name });
  const alias: Record<string | symbol, unknown> = {
    [ALIAS_OF]: { model, name, meta, fields: meta.fields } satisfies AliasTarget,
    toNode: () => node,
  };
  const columns = Object.create(null) as Record<string, AnyField>;
  Object.defineProperty(alias, 'c', { value: columns });
  // Built through the model's own select(), so this module does not import the select builder that imports it.
  Object.defineProperty(alias, 'select', {
    value: (...selection: Selectable[]) =>
      (model as unknown as { select(): RowSource }).select().selectFrom(node, undefined, selection.length ? selection : [alias as unknown as Selectable]),
  });
  for (const field of meta.fields) {
    const aliased = aliasField(field, name);
    columns[field.name] = aliased;
    if (!(field.name in alias)) Object.defineProperty(alias, field.name, { value: aliased, enumerable: true });
  }
  Object.freeze(columns);
  return Object.freeze(alias) as unknown as ModelAlias<M>;
}

/**
 * The field seen through an alias: every expression built from it names the
 * alias (`"author"."username"`); values are validated by the field itself.
 * A proxy rather than a copy because fields keep private state.
 */
function aliasField(field: AnyField, name: string): AnyField {
  const toNode = () => field.qualifiedBy(name);
  const marker = { name, field };
  // How `select(Author.username)` reads the column back: the model's own field, under the alias.
  const selectedColumn = () => ({ node: toNode(), field, source: name });
  return new Proxy(field, {
    get(target, property) {
      if (property === 'toNode') return toNode;
      if (property === 'selectedColumn') return selectedColumn;
      if (property === ALIASED_FIELD) return marker;
      return Reflect.get(target, property, target);
    },
  });
}

export function isModelAlias(v: unknown): v is ModelAlias<any> {
  return typeof v === 'object' && v !== null && ALIAS_OF in v;
}

/** The alias name and original field of a field read through an alias, if it is one. */
export function aliasedField(v: unknown): { readonly name: string; readonly field: AnyField } | undefined {
  return v instanceof Field ? (v as unknown as { [ALIASED_FIELD]?: { name: string; field: AnyField } })[ALIASED_FIELD] : undefined;
}

/** The selected columns of a whole alias, each read back by the model's own field; `undefined` for anything else. */
export function expandAlias(item: unknown): { node: ReturnType<AnyField['toNode']>; field: AnyField; source: string }[] | undefined {
  if (!isModelAlias(item)) return undefined;
  const { name, fields } = item[ALIAS_OF];
  return fields.map((field) => ({ node: field.qualifiedBy(name), field, source: name }));
}
