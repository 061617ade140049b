import { type Expressible, type ExtractField, extract as extractNode, value } from '@pewit/query';
import { Expression } from './expression.js';

/**
 * `EXTRACT(field FROM expr)` of a date, time, timestamp or interval. The field
 * is one of PostgreSQL's (`'year'`, `'month'`, `'dow'`, `'epoch'`, …), checked
 * against that list. PostgreSQL returns `numeric`, which pewit reads as an exact
 * string; cast it for a number.
 *
 * @example extract('year', Event.at)                    // EXTRACT(YEAR FROM "events"."at")
 * @example extract('year', Event.at).cast<number>('integer') // CAST(EXTRACT(YEAR FROM "events"."at") AS integer)
 */
export function extract(field: ExtractField, expr: Expressible): Expression<string> {
  return new Expression<string>(extractNode(field, expr.toNode()));
}

/**
 * An interval value, sent as a parameter cast to `interval` (the server parses
 * it: `'1 day'`, `'2 hours 30 minutes'`, `'P1D'`). Add it to or subtract it from
 * a date or timestamp.
 *
 * @example Event.at.add(interval('1 day'))     // "events"."at" + $1::interval
 * @example fn.now().sub(interval('7 days'))    // now() - $1::interval
 */
export function interval(text: string): Expression<string> {
  if (typeof text !== 'string' || text.trim() === '')
    throw new TypeError(`interval(): pass the interval as text, e.g. '1 day', received ${typeof text === 'string' ? '""' : typeof text}`);
  return new Expression<string>(value(text, 'interval'));
}
