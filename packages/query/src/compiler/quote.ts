/**
 * Quotes an identifier for PostgreSQL, doubling embedded double quotes, so
 * any string (reserved words, spaces, quotes) is safe as a table or column.
 *
 * @example quoteIdentifier('user') // => '"user"'
 * @example quoteIdentifier('a"b')  // => '"a""b"'
 */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new TypeError('identifiers cannot contain NUL characters');
  return `"${name.replaceAll('"', '""')}"`;
}
