/**
 * SQL written in models (defaults, checks, generated columns, index
 * predicates) in the form `pg_get_expr` reads it back, as far as that can be
 * told without a server: string literals get the column type's cast, SQL
 * value functions are upper case, an operator expression is parenthesised.
 * Whatever this cannot predict, `sameExpression` still compares equal.
 */

const VALUE_FUNCTIONS = new Set(['current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime', 'current_user', 'session_user']);

/** How `pg_get_expr` names a column type in a literal's cast. */
function castName(type: string): string {
  if (type.startsWith('character varying')) return 'character varying';
  if (type.startsWith('character(')) return 'bpchar';
  if (type.startsWith('public.')) return type.slice('public.'.length);
  return type.replace(/^(numeric|bit|bit varying)\(.*\)$/, '$1').replace(/^(timestamp|time)\(\d+\)/, '$1');
}

const NUMERIC_TYPES = /^(integer|smallint|bigint|numeric|real|double precision)/;

/**
 * A default as the catalog will show it.
 * @example defaultLikeCatalog("'draft'", 'text') // "'draft'::text"   defaultLikeCatalog('current_timestamp', 'timestamp with time zone') // 'CURRENT_TIMESTAMP'
 */
export function defaultLikeCatalog(text: string, type: string): string {
  const t = text.trim();
  if (VALUE_FUNCTIONS.has(t.toLowerCase())) return t.toUpperCase();
  if (/^'(?:[^']|'')*'$/.test(t) && !NUMERIC_TYPES.test(type) && !type.endsWith('[]')) return `${t}::${castName(type)}`;
  if (/^-\d+(\.\d+)?$/.test(t) && NUMERIC_TYPES.test(type)) return `'${t}'::${castName(type)}`;
  return t;
}

/** Whether `text` is one parenthesised group from its first character to its last. */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return true;
}

/**
 * A boolean or arithmetic expression as the catalog shows it: parenthesised
 * when it is an operator expression (`likes >= 0` → `(likes >= 0)`).
 */
export function expressionLikeCatalog(text: string): string {
  const t = text.trim();
  if (wrapped(t) || /^[A-Za-z_][A-Za-z0-9_]*\(.*\)$/.test(t) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return t;
  return `(${t})`;
}

/** An expression reduced to what survives `pg_get_expr`'s rewriting: no casts, no parentheses, no spaces, lower case outside quotes. */
export function looseExpression(text: string): string {
  return text
    .replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[^'"]+/g, (part) =>
      part.startsWith("'") || part.startsWith('"')
        ? part
        : part
            .toLowerCase()
            .replace(/::\s*(?:"[^"]*"|[a-z_][a-z0-9_.]*)(?:\s+(?:varying|precision|with|without|time|zone))*(?:\([^)]*\))?(?:\[\])*/g, '')
            .replace(/[()\s]/g, ''),
    )
    .replace(/^\((.*)\)$/, '$1');
}

/**
 * Whether two expressions say the same once the catalog's rewriting is set
 * aside (casts it adds to literals, parentheses, spacing, keyword case).
 * @example sameExpression("(likes >= 0)", 'likes >= 0') // true
 */
export function sameExpression(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || looseExpression(a) === looseExpression(b);
}
