/** How parameter values appear in the messages pewit writes (`DoesNotExist`, warn-mode reports). */
export type ParamsInMessages = 'truncated' | 'hidden';

const MAX_CHARS = 40;
const MAX_PARAMS = 10;
let mode: ParamsInMessages = 'truncated';

/**
 * Chooses how parameter values appear in error messages and warn-mode reports, for the whole process:
 * `'truncated'` (default) shows each value cut to 40 characters and at most 10 of them; `'hidden'` shows only
 * how many there were, for applications whose parameters are tokens, e-mail addresses or documents that must
 * never reach a log. The values stay reachable as the error's `params` property either way.
 *
 * @example
 * setParamsInMessages('hidden');
 * // User matching the query does not exist: SELECT … WHERE "users"."email" = $1 LIMIT $2 [2 parameters hidden]
 */
export function setParamsInMessages(value: ParamsInMessages): void {
  if (value !== 'truncated' && value !== 'hidden') throw new TypeError(`setParamsInMessages(): expected 'truncated' or 'hidden', received ${String(value)}`);
  mode = value;
}

/** The current setting of `setParamsInMessages`. */
export function paramsInMessages(): ParamsInMessages {
  return mode;
}

/**
 * Renders parameters for a message under the current setting.
 * @example formatParamsForMessage(['x'.repeat(100), 1]) // '["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…(100 chars)",1]'
 */
export function formatParamsForMessage(values: readonly unknown[]): string {
  if (mode === 'hidden') return `[${values.length} parameter${values.length === 1 ? '' : 's'} hidden]`;
  const shown = values.slice(0, MAX_PARAMS).map(shorten);
  if (values.length > MAX_PARAMS) shown.push(`…(${values.length - MAX_PARAMS} more)`);
  return `[${shown.join(',')}]`;
}

function shorten(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  if (typeof value === 'string' && value.length > MAX_CHARS) return JSON.stringify(`${value.slice(0, MAX_CHARS)}…(${value.length} chars)`);
  return text.length > MAX_CHARS + 2 ? `${text.slice(0, MAX_CHARS)}…(${text.length} chars)` : text;
}
