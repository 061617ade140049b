const MAX_STRING = 64;
const MAX_PARAMS = 16;
const MAX_ITEMS = 8;
const MAX_DEPTH = 2;

/**
 * Copies parameters into a form safe to log and keep: a report must never
 * hold a whole large value (a 10 MB bytea, a 50 000-id `IN` list).
 *
 * @example shortenParams(['x'.repeat(500), [1, 2, 3]]) // ['xxxx…(500 chars)', [1, 2, 3]]
 */
export function shortenParams(params: readonly unknown[]): unknown[] {
  return shortenList(params, 0, MAX_PARAMS);
}

/**
 * A placeholder that stands for a value too large to keep; prints without quotes.
 * @example String(shortenParams([Buffer.alloc(4096)])[0]) // '<Buffer 4096 bytes>'
 */
export class Abbreviated {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

function shortenList(list: readonly unknown[], depth: number, max = MAX_ITEMS): unknown[] {
  const head = list.slice(0, max).map((item) => shortenValue(item, depth + 1));
  if (list.length > max) head.push(new Abbreviated(`…(${list.length - max} more of ${list.length})`));
  return head;
}

function shortenValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return shortenString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (ArrayBuffer.isView(value)) return new Abbreviated(`<${value.constructor.name} ${value.byteLength} bytes>`);
  if (value instanceof ArrayBuffer) return new Abbreviated(`<ArrayBuffer ${value.byteLength} bytes>`);
  if (Array.isArray(value)) return depth > MAX_DEPTH ? new Abbreviated(`<array of ${value.length}>`) : shortenList(value, depth);
  return new Abbreviated(shortenString(safeJson(value)));
}

function shortenString(text: string): string {
  return text.length <= MAX_STRING ? text : `${text.slice(0, MAX_STRING - 16)}…(${text.length} chars)`;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Renders shortened parameters for a log line.
 * @example formatParams(shortenParams([1, 'ada', Buffer.alloc(20)])) // '[1, "ada", <Buffer 20 bytes>]'
 */
export function formatParams(params: readonly unknown[]): string {
  return `[${params.map(formatValue).join(', ')}]`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return formatParams(value);
  return String(value);
}
