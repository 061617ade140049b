import { DoesNotExist } from '../errors/usage-errors.js';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { ModelMeta, type ModelOptions } from '../meta/model-meta.js';
import { reservedInstanceNames, snakeCase } from '../meta/naming.js';
import { registerModel } from '../meta/registry.js';
import { attachManyToMany, columnEntries } from '../relations/many-to-many-accessors.js';
import { defineAccessors } from './accessors.js';
import { Model } from './model.js';

import type { AnyModelClass, CompositeKeyNames, FieldShapes, Fields, ModelClass, ReadOnlyModelClass } from './types.js';

function columnNameFor(property: string, field: AnyField): string {
  if (field.options.columnName !== undefined) return field.options.columnName;
  return field instanceof ForeignKeyFieldImpl ? `${snakeCase(property)}_id` : snakeCase(property);
}

let reservedOnInstances: ReadonlySet<string> | undefined;

function checkNames(tableName: string, fields: Fields): void {
  reservedOnInstances ??= reservedInstanceNames(Model.prototype);
  for (const [name, field] of Object.entries(fields)) {
    if (reservedOnInstances.has(name)) {
      throw new TypeError(
        `model('${tableName}'): the field "${name}" would hide the instance member "${name}" of every model. ` +
          `Name the property otherwise and keep the column with { columnName: '${name}' }, e.g. ${name}Value: …Field({ columnName: '${name}' })`,
      );
    }
    if (field instanceof ForeignKeyFieldImpl && `${name}Id` in fields) {
      throw new TypeError(`model('${tableName}'): the field "${name}Id" collides with the raw key property of the foreign key "${name}"`);
    }
  }
}

/**
 * `Model.c`, every column by field name, and the static shorthand `Model.<field>`
 * for each name the class does not already have: a function's own `name` and
 * `length`, `prototype`, the statics of models. A colliding name is never
 * overwritten, so `User.name` stays the class name and `User.select` the method.
 */
function defineColumns(Base: AnyModelClass, fields: readonly AnyField[]): void {
  const columns = Object.create(null) as Record<string, AnyField>;
  for (const field of fields) columns[field.name] = field;
  Object.defineProperty(Base, 'c', { value: Object.freeze(columns) });
  for (const field of fields) {
    if (field.name in Base) continue;
    Object.defineProperty(Base, field.name, { value: field, enumerable: true });
  }
}

/**
 * Defines a model: returns a class to extend, with typed static columns and
 * typed instance values.
 *
 * @example
 * class User extends model('users', {
 *   id: AutoField(),
 *   username: CharField({ maxLength: 50, unique: true }),
 * }, { database: db }) {}
 *
 * await User.select().where(User.username.eq('alice'))
 * // SELECT "users"."id", "users"."username" FROM "users" WHERE ("users"."username" = $1)
 */
export function model<const F extends FieldShapes, const O extends ModelOptions = ModelOptions>(
  tableName: string,
  fields: F,
  options: O = {} as O,
): O extends { readOnly: true } ? ReadOnlyModelClass<F, CompositeKeyNames<O>> : ModelClass<F, CompositeKeyNames<O>> {
  if (typeof tableName !== 'string' || tableName.length === 0) throw new TypeError('model(): the first argument is the table name, e.g. model("users", {...})');
  // The fields are checked by their shape only (see FieldShapes); at run time they are fields.
  const all = fields as unknown as Fields;
  checkNames(tableName, all);
  const Base = class extends Model {} as unknown as AnyModelClass & typeof Model;
  const meta = new ModelMeta(Base, tableName, columnEntries(all), options, columnNameFor);
  Object.defineProperty(Base, '_meta', { value: meta });
  Object.defineProperty(Base, 'name', { value: meta.name });
  defineColumns(Base, meta.fields);
  Base.DoesNotExist = class extends DoesNotExist {
    override name = `${meta.name}.DoesNotExist`;
  };
  defineAccessors(Base.prototype, meta.fields);
  attachManyToMany(Base, meta, all, model as never);
  registerModel(meta);
  return Base as unknown as O extends { readOnly: true } ? ReadOnlyModelClass<F, CompositeKeyNames<O>> : ModelClass<F, CompositeKeyNames<O>>;
}
