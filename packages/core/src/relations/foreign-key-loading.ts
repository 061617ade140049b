import { binary, compile, EMPTY_SELECT, updateSelect, value } from '@pewit/query';
import { describe } from '../evaluation/description.js';
import type { Program } from '../evaluation/program.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { PERSISTED, RELATED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { readModels } from '../query/row-readers.js';
import { expandSelection } from '../query/selection.js';

type Slots = { [VALUES]: Record<string, unknown>; [RELATED]: Record<string, unknown>; [PERSISTED]: boolean };

/**
 * A loaded row whose query did not select the foreign key column: its value
 * is unknown, not NULL, so reading the relation is refused rather than
 * answered with `null`.
 */
function notSelected(instance: Model, field: ForeignKeyFieldImpl): TypeError {
  const meta = (instance.constructor as AnyModelClass)._meta;
  return new TypeError(
    `${meta.name}.${field.name} was not selected, so it is unknown which ${field.target._meta.name} this row points at: add ${meta.name}.${field.name} to select(…) (or select the whole ${meta.name}), or join ${field.target._meta.name} and select it`,
  );
}

/** The SELECT of the row a foreign key points at, cached on the instance once read. */
function* relatedProgram(instance: Model, field: ForeignKeyFieldImpl): Program<Model | null> {
  const s = instance as unknown as Slots;
  const key = s[VALUES][field.name];
  if (key === undefined && s[PERSISTED]) throw notSelected(instance, field);
  if (key === null || key === undefined) return null;
  const target = field.target;
  const columns = expandSelection([target], target);
  const node = updateSelect(EMPTY_SELECT, {
    columns: columns.map((c) => c.node),
    from: [target._meta.tableNode],
    where: binary(field.targetField.toNode(), '=', value(field.toParam(key))),
    limit: value(1),
  });
  const related = readModels(target, columns, yield compile(node))[0] ?? null;
  s[RELATED][field.name] = related;
  return related;
}

function foreignKey(instance: Model, name: string): ForeignKeyFieldImpl {
  const meta = (instance.constructor as AnyModelClass)._meta;
  const field = meta.byName.get(name);
  if (!(field instanceof ForeignKeyFieldImpl))
    throw new TypeError(
      `${meta.name}.${name} is not a relation; relations are the foreign keys ${
        meta.fields
          .filter((f) => f instanceof ForeignKeyFieldImpl)
          .map((f) => f.name)
          .join(', ') || '(none)'
      }`,
    );
  return field;
}

/** `await tweet.load('user')`: async, cached on the instance. */
export async function loadRelation(instance: Model, name: string): Promise<unknown> {
  const s = instance as unknown as Slots;
  if (name in s[RELATED]) return s[RELATED][name];
  const field = foreignKey(instance, name);
  const meta = (instance.constructor as AnyModelClass)._meta;
  // One SELECT of the related row: a plain read, which may run on a read replica.
  return meta.requireDatabase().evaluate(relatedProgram(instance, field), describe('await', `${meta.name}.${name}`), 'read');
}

/** Reading `tweet.user` when it is not loaded: a blocking evaluation, then cached. */
export function readRelationSync(instance: Model, field: ForeignKeyFieldImpl): unknown {
  const s = instance as unknown as Slots;
  if (field.name in s[RELATED]) return s[RELATED][field.name];
  const meta = (instance.constructor as AnyModelClass)._meta;
  const variable = meta.name.charAt(0).toLowerCase() + meta.name.slice(1);
  return meta
    .requireDatabase()
    .evaluateSync(
      relatedProgram(instance, field),
      describe('lazy foreign key', `${meta.name}.${field.name}`, `await ${variable}.load('${field.name}')`),
      'read',
    );
}
