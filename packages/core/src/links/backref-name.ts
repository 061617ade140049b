import type { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';

/** The name a foreign key's back-reference gets on its target, or `undefined` when it has none (`'!'` disables it). */
export function backrefName(fk: ForeignKeyFieldImpl): string | undefined {
  const name = fk.fkOptions.backref;
  return name === undefined || name === '!' ? undefined : name;
}
