// Copied beside the generated page modules and imported by them, so it must not import anything of the repository.
import { inspect, isDeepStrictEqual } from 'node:util';

interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Checks a SQL comment of a docs sample against what the statement really compiles to. A mismatch is printed
 * with its markdown location and fails the process at exit, after the rest of the page has run.
 *
 * `expected` is either `{ text: '…', values: […] }` or SQL text optionally followed by `values: […]`;
 * `…` stands for any text.
 */
export function expectSql(subject: unknown, expected: string, where: string): void {
  const actual = toStatement(subject, where);
  if (!actual) return;
  const want = parseExpected(expected, where);
  if (!want) return;
  const problems: string[] = [];
  if (!matchesWithEllipsis(normalise(actual.text), normalise(want.text))) problems.push(`text\n    doc:    ${want.text}\n    actual: ${actual.text}`);
  if (want.values !== undefined && !isDeepStrictEqual([...actual.values], want.values)) {
    problems.push(`values\n    doc:    ${inspect(want.values)}\n    actual: ${inspect(actual.values)}`);
  }
  if (problems.length > 0) fail(where, `the SQL comment does not match the statement: ${problems.join('\n  ')}`);
}

function toStatement(subject: unknown, where: string): Statement | undefined {
  const candidate = subject as { sql?: () => unknown; text?: unknown; values?: unknown };
  const statement = typeof candidate?.sql === 'function' ? (candidate.sql() as Statement) : candidate;
  if (typeof statement?.text === 'string' && Array.isArray(statement.values)) return statement as Statement;
  fail(where, `a SQL comment follows a statement that is not a query (got ${inspect(subject, { depth: 0 })})`);
  return undefined;
}

function parseExpected(expected: string, where: string): { text: string; values: unknown[] | undefined } | undefined {
  const object = /^\{\s*text:\s*'(?<text>.*)',\s*values:\s*(?<values>\[.*\])\s*\}$/s.exec(expected);
  const plain = /^(?<text>.*?)(?:\s+values:\s*(?<values>\[.*\]))?$/s.exec(expected);
  const groups = object?.groups ?? plain?.groups;
  if (!groups) {
    fail(where, `cannot read the SQL comment: ${expected}`);
    return undefined;
  }
  const values = groups.values;
  if (values === undefined || values.includes('…')) return { text: groups.text ?? '', values: undefined };
  try {
    return { text: groups.text ?? '', values: parseLiteral(values) as unknown[] };
  } catch {
    // Values that are expressions (`alice.id`) cannot be checked; the text still is.
    return { text: groups.text ?? '', values: undefined };
  }
}

/** Reads a JavaScript-ish literal array (`[1, 'a', "O'Brien", true, null]`) as JSON. */
function parseLiteral(text: string): unknown {
  const json = text.replace(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g, (_m, single: string | undefined, double: string | undefined) =>
    JSON.stringify((single ?? double ?? '').replace(/\\(.)/g, '$1')),
  );
  return JSON.parse(json);
}

function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

function matchesWithEllipsis(actual: string, pattern: string): boolean {
  const regex = pattern
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${regex}$`).test(actual);
}

function fail(where: string, message: string): void {
  process.exitCode = 1;
  console.error(`${where}: ${message}`);
}
