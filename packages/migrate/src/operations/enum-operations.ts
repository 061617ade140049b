import { createEnumTypeSql, enumLabelSql as literal } from '@pewit/core';
import { MigrationError } from './definition-error.js';
import { nameSql, qualified, shown, type TableName } from './names.js';
import { ddl, type Operation, operation } from './operation.js';

const labels = (owner: string, values: unknown): readonly string[] => {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v.length === 0))
    throw new MigrationError(`${owner}: the values must be a non-empty list of non-empty strings`);
  if (new Set(values).size !== values.length) throw new MigrationError(`${owner}: the values repeat one`);
  return values as string[];
};

/**
 * `CREATE TYPE … AS ENUM (…)`; its inverse drops it.
 * @example createEnum('mood', ['happy', 'sad']) // CREATE TYPE "mood" AS ENUM (E'happy', E'sad')
 */
export function createEnum(type: TableName, values: readonly string[]): Operation {
  const t = qualified('createEnum', type, 'type name');
  const owner = `create enum ${shown(t)}`;
  const checked = labels(owner, values);
  const text = createEnumTypeSql({ sql: nameSql(t), schema: t.schema, name: t.name, values: checked, create: true });
  return operation({ kind: 'createEnum', description: owner, statements: [ddl(text)], inverse: () => dropEnum(t, { was: checked }) });
}

/**
 * `DROP TYPE`; fails while a column still uses the type. With `was` a down creates it again.
 * @example dropEnum('mood', { was: ['happy', 'sad'] }) // DROP TYPE "mood"
 */
export function dropEnum(type: TableName, options: { readonly was?: readonly string[] | undefined } = {}): Operation {
  const t = qualified('dropEnum', type, 'type name');
  const was = options.was;
  return operation({
    kind: 'dropEnum',
    description: `drop enum ${shown(t)}`,
    statements: [ddl(`DROP TYPE ${nameSql(t)}`)],
    inverse: was ? () => createEnum(t, was) : `drop enum ${shown(t)}: pass { was: [...values] } so a down can create it again`,
  });
}

/** Where `addEnumValue` puts the new label (default: last). */
export type EnumValuePosition = { readonly before: string } | { readonly after: string };

/**
 * `ALTER TYPE … ADD VALUE`. PostgreSQL cannot remove a label from an enum, so
 * this has no inverse. Since PostgreSQL 12 it runs inside the migration's
 * transaction, but the new label cannot be used until that transaction commits:
 * use it in the next migration.
 *
 * @example addEnumValue('mood', 'meh', { after: 'happy' }) // ALTER TYPE "mood" ADD VALUE E'meh' AFTER E'happy'
 */
export function addEnumValue(type: TableName, value: string, position?: EnumValuePosition): Operation {
  const t = qualified('addEnumValue', type, 'type name');
  const owner = `add value to enum ${shown(t)}`;
  const [label] = labels(owner, [value]);
  let where = '';
  if (position !== undefined) {
    if ('before' in position) where = ` BEFORE ${literal(labels(owner, [position.before])[0] as string)}`;
    else if ('after' in position) where = ` AFTER ${literal(labels(owner, [position.after])[0] as string)}`;
    else throw new MigrationError(`${owner}: the position is { before: '…' } or { after: '…' }`);
  }
  return operation({
    kind: 'addEnumValue',
    description: `${owner}: ${label}`,
    statements: [ddl(`ALTER TYPE ${nameSql(t)} ADD VALUE ${literal(label as string)}${where}`)],
    inverse: `${owner}: PostgreSQL cannot remove a value from an enum; write the down yourself (a new type, ALTER COLUMN … TYPE, DROP TYPE)`,
  });
}
