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

interface QuerySource {
  on(event: 'query', listener: (event: { readonly sql: string; readonly params: readonly unknown[] }) => void): () => void;
}

/**
 * Runs an awaited statement and checks its SQL comment against the statements `db` sent meanwhile. The comment
 * lists statements (one per line, or separated by `; `; an indented line continues the one above), each with `…` for any text and an optional `values: […]`;
 * they must have been sent in that order, others may come between. Prose may follow ` → ` or ` -- `.
 * Resolves to the statement's own result.
 */
export async function expectSent<T>(db: QuerySource, run: () => Promise<T>, expected: string, where: string): Promise<T> {
  const sent: Statement[] = [];
  const stop = db.on('query', (event) => sent.push({ text: event.sql, values: event.params }));
  let result: T;
  try {
    result = await run();
  } finally {
    stop();
  }
  const wanted = expectedStatements(expected).map((text) => parseExpected(text, where));
  if (wanted.some((w) => w === undefined)) return result;
  let next = 0;
  for (const want of wanted as { text: string; values: unknown[] | undefined }[]) {
    const fits = (s: Statement) =>
      matchesWithEllipsis(normalise(s.text), normalise(want.text)) && (want.values === undefined || isDeepStrictEqual([...s.values], want.values));
    while (next < sent.length && !fits(sent[next] as Statement)) next++;
    if (next === sent.length) {
      const actual = sent.length === 0 ? '(nothing was sent on db)' : sent.map((s) => `${s.text}  values: ${inspect(s.values)}`).join('\n            ');
      fail(
        where,
        `the SQL comment does not match what the statement sent (no match for ${want.text}, in order):\n    doc:    ${expected}\n    actual: ${actual}`,
      );
      return result;
    }
    next++;
  }
  return result;
}

const STATEMENT_START = /^(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|\(SELECT|…)(?:\s|$)/;

/** The statements a SQL comment lists: a line starting with a keyword starts one, `; ` before a keyword too. */
function expectedStatements(expected: string): string[] {
  const statements: string[] = [];
  for (const raw of expected.split('\n')) {
    const line = raw.split(' → ')[0]?.split(' -- ')[0]?.trim() ?? '';
    if (line === '') continue;
    // An indented line continues the statement above it (`//   SELECT …` under an INSERT).
    if (/^\s/.test(raw) && statements.length > 0) {
      statements[statements.length - 1] += ` ${line}`;
      continue;
    }
    for (const [i, part] of line.split(/;\s+(?=[A-Z(…])/).entries()) {
      const text = part.replace(/;$/, '').trim();
      if (statements.length === 0 || (STATEMENT_START.test(text) && (i > 0 || STATEMENT_START.test(line)))) statements.push(text);
      else statements[statements.length - 1] += ` ${text}`;
    }
  }
  return statements;
}

/** Checks a result comment (`// 2`, `// null`, `// [{ nick: 'ann' }]`) against the value the statement gave. */
export function expectValue<T>(actual: T, expected: string, where: string): T {
  let pattern: unknown;
  try {
    pattern = parseValue(expected);
  } catch (error) {
    fail(where, `cannot read the result comment ${expected}: ${(error as Error).message}`);
    return actual;
  }
  const subject = typeof actual === 'string' && pattern !== null && typeof pattern === 'object' && !(pattern instanceof Wildcard) ? tryJson(actual) : actual;
  if (!matchesValue(subject, pattern)) fail(where, `the result comment does not match:\n    doc:    ${expected}\n    actual: ${inspect(actual, { depth: 4 })}`);
  return actual;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `…` in a result comment: any value, the rest of an array, or the other keys of an object. */
class Wildcard {}
const ANY = new Wildcard();

function matchesValue(actual: unknown, pattern: unknown): boolean {
  if (pattern === ANY) return true;
  if (typeof pattern === 'string') return typeof actual === 'string' && (pattern.includes('…') ? matchesWithEllipsis(actual, pattern) : actual === pattern);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return false;
    const open = pattern.at(-1) === ANY;
    const items = open ? pattern.slice(0, -1) : pattern;
    if (open ? actual.length < items.length : actual.length !== items.length) return false;
    return items.every((item, i) => matchesValue(actual[i], item));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const entries = Object.entries(pattern);
    const open = Object.hasOwn(pattern, '…');
    const shown = entries.filter(([key]) => key !== '…');
    const record = actual as Record<string, unknown>;
    if (
      !open &&
      Object.keys(record).sort().join(',') !==
        shown
          .map(([key]) => key)
          .sort()
          .join(',')
    )
      return false;
    return shown.every(([key, value]) => matchesValue(record[key], value));
  }
  return Object.is(actual, pattern);
}

/** Parses a JavaScript literal as docs write it: numbers, bigints, strings, true/false/null/undefined, arrays, objects, `…`. */
function parseValue(text: string): unknown {
  let at = 0;
  const space = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '…') {
      at++;
      return ANY;
    }
    if (c === '[') {
      at++;
      const items: unknown[] = [];
      for (space(); text[at] !== ']'; space()) {
        items.push(value());
        space();
        if (text[at] === ',') at++;
        else if (text[at] !== ']') throw new Error(`expected , or ] at ${at}`);
      }
      at++;
      return items;
    }
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      for (space(); text[at] !== '}'; space()) {
        if (text[at] === '…') {
          at++;
          object['…'] = ANY;
        } else {
          let key: string | undefined;
          if (text[at] === "'" || text[at] === '"') key = value() as string;
          else {
            key = /^[A-Za-z_$][\w$]*/.exec(text.slice(at))?.[0];
            if (key === undefined) throw new Error(`expected a key at ${at}`);
            at += key.length;
          }
          space();
          if (text[at++] !== ':') throw new Error(`expected : at ${at - 1}`);
          object[key] = value();
        }
        space();
        if (text[at] === ',') at++;
        else if (text[at] !== '}') throw new Error(`expected , or } at ${at}`);
      }
      at++;
      return object;
    }
    if (c === "'" || c === '"') {
      let out = '';
      for (at++; text[at] !== c; at++) {
        if (at >= text.length) throw new Error('unterminated string');
        if (text[at] === '\\') at++;
        out += text[at];
      }
      at++;
      return out;
    }
    const word = /^(?:-?\d+(?:\.\d+)?(?:e-?\d+)?n?|true|false|null|undefined)/.exec(text.slice(at))?.[0];
    if (word === undefined) throw new Error(`unexpected ${JSON.stringify(text.slice(at, at + 10))}`);
    at += word.length;
    if (word.endsWith('n')) return BigInt(word.slice(0, -1));
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : word === 'undefined' ? undefined : Number(word);
  };
  const result = value();
  space();
  if (at !== text.length) throw new Error(`unexpected ${JSON.stringify(text.slice(at, at + 10))}`);
  return result;
}

function fail(where: string, message: string): void {
  process.exitCode = 1;
  console.error(`${where}: ${message}`);
}
