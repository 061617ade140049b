import { type SqlToken, sqlTokens } from './sql-tokens.js';

/** What a span says about one statement, read from its text. */
export interface StatementSummary {
  /**
   * The command PostgreSQL runs: the statement's first keyword (`SELECT`, `INSERT`, `BEGIN`, `COMMIT`,
   * `SAVEPOINT`, `CREATE`…), or the main operation after a `WITH` list; absent when there is none to read.
   */
  readonly operation: string | undefined;
  /**
   * `db.query.summary`: the operations and the tables they read or write, in the order they appear
   * (`SELECT "tweets" "users"`, `INSERT "tweets"`), at most 255 characters; never a literal or a parameter.
   */
  readonly summary: string | undefined;
}

const MAX_SUMMARY = 255;
/** Operations a summary lists wherever they stand (subqueries, CTEs, INSERT … SELECT). */
const OPERATIONS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** First words of statements read as queries; any other first word is the statement's command (BEGIN, CREATE…). */
const QUERY_STARTS = new Set([...OPERATIONS, 'WITH']);
/** Words after which an UPDATE or DELETE is a clause, not an operation: FOR [NO KEY] UPDATE, DO UPDATE, ON DELETE. */
const NOT_AN_OPERATION_AFTER = new Set(['FOR', 'KEY', 'DO', 'ON']);
/** Words after which a table name follows. */
const TABLE_AFTER = new Set(['FROM', 'JOIN', 'INTO']);
/** Words that may stand between FROM and its table. */
const BEFORE_TABLE = new Set(['ONLY', 'LATERAL']);
/** Words that end a FROM list (after them a comma no longer introduces another table). */
const FROM_LIST_ENDS = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'RETURNING',
  'FOR',
  'ON',
  'USING',
]);
/** First words inside parentheses that make them a subquery. */
const SUBQUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'INSERT', 'UPDATE', 'DELETE']);

interface Frame {
  /** A subquery (or the statement itself), where FROM and JOIN name tables; not a function call's arguments. */
  readonly query: boolean;
  fromList: boolean;
}

/**
 * Reads a statement's operation and query summary, following OpenTelemetry's "generating a summary of the query".
 *
 * @example
 * summarizeStatement('SELECT "t1"."id" FROM "tweets" AS "t1" INNER JOIN "users" AS "t2" ON …')
 * // { operation: 'SELECT', summary: 'SELECT "tweets" "users"' }
 * summarizeStatement('BEGIN ISOLATION LEVEL SERIALIZABLE') // { operation: 'BEGIN', summary: 'BEGIN' }
 */
export function summarizeStatement(text: string): StatementSummary {
  const tokens = sqlTokens(text);
  const first = tokens[0];
  if (first === undefined) return { operation: undefined, summary: undefined };
  if (first.kind === 'word' && !QUERY_STARTS.has(first.upper)) return { operation: first.text, summary: first.text };

  const parts: string[] = [];
  let operation: string | undefined;
  let firstOperation: string | undefined;
  const frames: Frame[] = [{ query: true, fromList: false }];
  // After FROM or JOIN a name followed by "(" is a function (FROM generate_series(…)), after INTO a column list follows.
  let expectTable: 'from' | 'into' | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as SqlToken;
    const frame = frames.at(-1) as Frame;
    if (token.kind === 'punct') {
      if (token.text === '(') {
        const inside = tokens[i + 1];
        frames.push({ query: inside?.kind === 'word' && SUBQUERY_STARTS.has(inside.upper), fromList: false });
        expectTable = undefined;
      } else if (token.text === ')') {
        if (frames.length > 1) frames.pop();
      } else if (token.text === ',' && frame.query && frame.fromList) {
        expectTable = 'from';
      }
      continue;
    }
    if (expectTable) {
      if (token.kind === 'word' && BEFORE_TABLE.has(token.upper)) continue;
      const { name, end } = qualifiedName(tokens, i);
      if (expectTable === 'into' || tokens[end]?.text !== '(') parts.push(name);
      expectTable = undefined;
      i = end - 1;
      continue;
    }
    if (token.kind !== 'word') continue;
    const previous = tokens[i - 1];
    const after = previous?.kind === 'word' ? previous.upper : '';
    if (OPERATIONS.has(token.upper) && !NOT_AN_OPERATION_AFTER.has(after)) {
      parts.push(token.text);
      firstOperation ??= token.text;
      if (frames.length === 1) operation ??= token.text;
      // UPDATE names its table right away; the others through FROM or INTO.
      if (token.upper === 'UPDATE') expectTable = 'into';
    } else if (frame.query && TABLE_AFTER.has(token.upper) && after !== 'DISTINCT') {
      expectTable = token.upper === 'INTO' ? 'into' : 'from';
      if (token.upper === 'FROM') frame.fromList = true;
    } else if (FROM_LIST_ENDS.has(token.upper)) {
      frame.fromList = false;
    }
  }
  // A compound query in parentheses, `(SELECT …) UNION (SELECT …)`, has its operation one level down.
  if (operation === undefined && first.text === '(') operation = firstOperation;
  return { operation, summary: parts.length === 0 ? undefined : truncate(parts) };
}

/** `"public"."users"` or `users`, as written, from token `start`; `end` is the first token after it. */
function qualifiedName(tokens: readonly SqlToken[], start: number): { name: string; end: number } {
  let name = (tokens[start] as SqlToken).text;
  let i = start + 1;
  while (tokens[i]?.text === '.' && (tokens[i + 1]?.kind === 'ident' || tokens[i + 1]?.kind === 'word')) {
    name += `.${(tokens[i + 1] as SqlToken).text}`;
    i += 2;
  }
  return { name, end: i };
}

/** Joins the parts, stopping before the one that would pass 255 characters (never cutting one in half). */
function truncate(parts: readonly string[]): string | undefined {
  let summary = '';
  for (const part of parts) {
    const next = summary === '' ? part : `${summary} ${part}`;
    if (next.length > MAX_SUMMARY) break;
    summary = next;
  }
  return summary === '' ? undefined : summary;
}
