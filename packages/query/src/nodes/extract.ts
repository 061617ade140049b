import { EXTRACT_FIELDS, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';

export type ExtractField = (typeof EXTRACT_FIELDS)[number];

/** `EXTRACT(field FROM expr)`; `field` is one of a closed list of SQL words. */
export interface ExtractNode {
  readonly kind: 'extract';
  readonly field: ExtractField;
  readonly expr: Node;
}

/**
 * `EXTRACT(field FROM expr)` of a date, time, timestamp or interval; the field is checked against the list PostgreSQL has.
 * @example extract('year', column('at')) // EXTRACT(YEAR FROM "at")
 */
export function extract(field: ExtractField, expr: Node): ExtractNode {
  return freeze({ kind: 'extract', field: oneOf('extract field', field, EXTRACT_FIELDS), expr });
}
