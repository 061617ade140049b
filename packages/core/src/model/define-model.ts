import { DoesNotExist } from '../errors/usage-errors.js';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { attachManyToMany, columnEntries } from '../relations/many-to-many-accessors.js';
import { defineAccessors } from './accessors.js';
import { Model } from './model.js';
import { ModelMeta, type ModelOptions } from './model-meta.js';
import { RESERVED_MEMBERS, snakeCase } from './naming.js';
import { registerModel } from './registry.js';
import { META } from './symbols.js';
import type { AnyModelClass, Fields, ModelClass } from './types.js';

function columnNameFor(property: string, field: AnyField): string {
  if (field.options.columnName !== undefined) return field.options.columnName;
  return field instanceof ForeignKeyFieldImpl ? `${snakeCase(property)}_id` : snakeCase(property);
}

function checkNames(tableName: string, fields: Fields): void {
  for (const [name, field] of Object.entries(fields)) {
    if (RESERVED_MEMBERS.has(name)) {
      throw new TypeError(
        `model('${tableName}'): the field "${name}" collides with the model member "${name}". ` +
          `Rename the property and keep the column with { columnName: '${name}' }, e.g. ${name}Value: …Field({ columnName: '${name}' })`,
      );
    }
    if (field instanceof ForeignKeyFieldImpl && `${name}Id` in fields) {
      throw new TypeError(`model('${tableName}'): the field "${name}Id" collides with the raw key property of the foreign key "${name}"`);
    }
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
export function model<const F extends Fields>(tableName: string, fields: F, options: ModelOptions = {}): ModelClass<F> {
  if (typeof tableName !== 'string' || tableName.length === 0) throw new TypeError('model(): the first argument is the table name, e.g. model("users", {...})');
  checkNames(tableName, fields);
  const Base = class extends Model {} as unknown as AnyModelClass & typeof Model;
  const meta = new ModelMeta(Base, tableName, columnEntries(fields), options, columnNameFor);
  Object.defineProperty(Base, META, { value: meta });
  Object.defineProperty(Base, 'name', { value: meta.name });
  for (const field of meta.fields) Object.defineProperty(Base, field.name, { value: field, enumerable: true });
  Base.DoesNotExist = class extends DoesNotExist {
    override name = `${meta.name}.DoesNotExist`;
  };
  defineAccessors(Base.prototype, meta.fields);
  attachManyToMany(Base, meta, fields);
  registerModel(meta);
  return Base as unknown as ModelClass<F>;
}
