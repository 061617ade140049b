/**
 * Turns the comments of samples that claim something into assertions, so what a page shows is what pewit does.
 *
 * SQL comments (the comment starts with a statement keyword, or `…`):
 *
 *     q.sql(); // { text: 'SELECT …', values: [1] }           (may continue on following // lines)
 *     User.select(User.id).limit(10);                          (a statement that builds a query, no await)
 *     // SELECT "users"."id" FROM "users" LIMIT $1     values: [10]
 *     const q = User.select();  // SELECT …                    (the declared query is checked)
 *     await User.getById(1);    // SELECT … LIMIT $2           (checked against what `db` sent meanwhile)
 *
 * Result comments (the comment starts with a literal, alone or followed by `:`, `,`, `;` or ` (` and prose):
 *
 *     await q.count();             // 2
 *     const nobody = await …;      // null
 *     const [u, created] = …;      // created: false
 *
 * A SQL comment the runner cannot check (after a `return`, `for`, `if`, …) is an error naming the line, never
 * skipped. A comment that is neither is prose (`// 2 statements`, `// Tweet | null`) and left alone. `…` stands
 * for any text, in SQL and in results. Line numbers do not move: everything is rewritten in place.
 */
export function instrumentSqlComments(source: readonly string[], page: string, firstLine: number): { lines: string[]; count: number } {
  const lines = [...source];
  let count = 0;
  for (let end = 0; end < lines.length; end++) {
    const code = lines[end] ?? '';
    const semicolon = statementEnd(code);
    if (semicolon < 0) continue;
    const claim = claimAfter(lines, end, semicolon);
    if (!claim) continue;
    const where = `${page}:${firstLine + claim.line}`;
    const start = statementStart(lines, end);
    const statement = classify(lines[start] ?? '');
    if (claim.kind === 'result') {
      if (rewriteResult(lines, start, end, semicolon, statement, claim.text, where)) count++;
      continue;
    }
    if (!rewriteSql(lines, start, end, semicolon, statement, claim.text, where)) {
      throw new Error(`${where}: a SQL comment follows a statement the docs runner cannot check (${statement.kind}); put the query in its own statement`);
    }
    count++;
  }
  return { lines, count };
}

type Claim = { kind: 'sql' | 'result'; text: string; line: number };

const SQL_START = /^(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|\(SELECT|…)(?:\s|$|;)/;

/** The claim the comment after the statement ending on line `end` makes, if any. */
function claimAfter(lines: string[], end: number, semicolon: number): Claim | undefined {
  const code = lines[end] ?? '';
  const sameLine = code.slice(semicolon + 1).trim();
  const following = commentBlock(lines, end + 1);
  const endsWithSql = /\.sql\(\)$/.test(code.slice(0, semicolon).trimEnd());
  if (endsWithSql && sameLine.startsWith('//') && sameLine.slice(2).trim().startsWith('{')) {
    return { kind: 'sql', text: [sameLine.slice(2), ...following.map(uncomment)].join(' '), line: end };
  }
  if (endsWithSql && sameLine === '' && following[0]?.match(/^\s*\/\/\s*\{/)) return { kind: 'sql', text: following.map(uncomment).join(' '), line: end + 1 };
  if (sameLine === '' && following.length > 0 && SQL_START.test(uncomment(following[0] ?? ''))) {
    // Lines stay apart: each line that starts with a keyword is a statement of its own where statements are recorded.
    return { kind: 'sql', text: following.map((line) => line.replace(/^\s*\/\/ ?/, '').trimEnd()).join('\n'), line: end + 1 };
  }
  if (!sameLine.startsWith('//')) return undefined;
  const comment = uncomment(sameLine);
  if (SQL_START.test(comment) && !comment.startsWith('…')) return { kind: 'sql', text: comment, line: end };
  if (comment.startsWith('… ') && /^…\s+(?:[A-Z]{2,}|")/.test(comment)) return { kind: 'sql', text: comment, line: end };
  const result = resultPart(comment);
  return result === undefined ? undefined : { kind: 'result', text: result, line: end };
}

/** `name: literal` or a literal, alone or followed by `:`, `,`, `;` or ` (` and prose; undefined for prose. */
function resultPart(comment: string): string | undefined {
  const literal = leadingLiteral(comment);
  if (literal !== undefined) return literal;
  const named = /^([A-Za-z_$][\w$]*): (.*)$/.exec(comment);
  const value = named?.[2] !== undefined ? leadingLiteral(named[2]) : undefined;
  return value === undefined ? undefined : `${named?.[1]}: ${value}`;
}

function leadingLiteral(text: string): string | undefined {
  const match = /^(-?\d+(?:\.\d+)?n?|true|false|null|undefined|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?=$|[:,;]| \()/.exec(text);
  if (match) return match[1];
  if (!/^[[{]/.test(text)) return undefined;
  const close = matchingBracket(text);
  if (close < 0) return undefined;
  const rest = text.slice(close + 1);
  return rest === '' || /^(?:[:,;]| \()/.test(rest) ? text.slice(0, close + 1) : undefined;
}

/** Index of the bracket closing the one `text` starts with, skipping strings; -1 when it does not close. */
function matchingBracket(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

type Statement =
  | { kind: 'expression'; awaited: boolean }
  | { kind: 'declaration'; awaited: boolean; keyword: string; binding: string; names: string[]; initializer: number }
  | { kind: 'other' };

function classify(head: string): Statement {
  const text = head.trimStart();
  const declaration = /^(const|let|var)\s+(.+?)\s*=(?![=>])\s*/.exec(text);
  if (declaration) {
    const binding = declaration[2] ?? '';
    const names = binding.match(/[A-Za-z_$][\w$]*/g) ?? [];
    const initializer = head.length - text.length + declaration[0].length;
    return {
      kind: 'declaration',
      awaited: /^await\b/.test(text.slice(declaration[0].length)),
      keyword: declaration[1] ?? 'const',
      binding,
      names,
      initializer,
    };
  }
  if (/^(?:return|throw|for|if|while|try|export|class|function|import|type|interface)\b/.test(text)) return { kind: 'other' };
  if (/^[\w$.[\]'"]+\s*=[^=>]/.test(text)) return { kind: 'other' }; // an assignment
  return { kind: 'expression', awaited: /^await\b/.test(text) };
}

function rewriteSql(lines: string[], start: number, end: number, semicolon: number, statement: Statement, expected: string, where: string): boolean {
  let args = `${JSON.stringify(expected.trim())}, ${JSON.stringify(where)}`;
  if (statement.kind === 'expression') {
    if (!statement.awaited) args = `${JSON.stringify(expected.replace(/\n/g, ' ').trim())}, ${JSON.stringify(where)}`;
    return statement.awaited
      ? wrap(lines, start, end, semicolon, 0, 'await __expectSent(db, async () => (', `), ${args})`)
      : wrap(lines, start, end, semicolon, 0, '__expectSql(', `, ${args})`);
  }
  if (statement.kind === 'declaration') {
    if (statement.awaited) return wrap(lines, start, end, semicolon, statement.initializer, 'await __expectSent(db, async () => (', `), ${args})`);
    if (statement.names.length !== 1) return false;
    const one = `${JSON.stringify(expected.replace(/\n/g, ' ').trim())}, ${JSON.stringify(where)}`;
    return append(lines, end, semicolon, `__expectSql(${statement.names[0]}, ${one});`);
  }
  return false;
}

function rewriteResult(lines: string[], start: number, end: number, semicolon: number, statement: Statement, expected: string, where: string): boolean {
  const named = /^([A-Za-z_$][\w$]*): (.*)$/s.exec(expected);
  const value = named ? (named[2] ?? '') : expected;
  const args = `${JSON.stringify(value)}, ${JSON.stringify(where)}`;
  if (statement.kind === 'expression' && !named) return wrap(lines, start, end, semicolon, 0, '__expectValue(', `, ${args})`);
  if (statement.kind !== 'declaration') return false;
  const name = named ? named[1] : statement.names.length === 1 ? statement.names[0] : undefined;
  if (name === undefined || !statement.names.includes(name)) return false;
  return append(lines, end, semicolon, `__expectValue(${name}, ${args});`);
}

/** Puts `open` at column `from` of the first line (after the indent when 0) and `close` before the `;`. */
function wrap(lines: string[], start: number, end: number, semicolon: number, from: number, open: string, close: string): boolean {
  const head = lines[start] ?? '';
  const at = from > 0 ? from : head.length - head.trimStart().length;
  lines[start] = `${head.slice(0, at)}${open}${head.slice(at)}`;
  const last = lines[end] ?? '';
  const cut = start === end ? semicolon + open.length : semicolon;
  lines[end] = `${last.slice(0, cut)}${close}${last.slice(cut)}`;
  return true;
}

/** Adds a check right after the `;`, on the same line. */
function append(lines: string[], end: number, semicolon: number, check: string): boolean {
  const last = lines[end] ?? '';
  lines[end] = `${last.slice(0, semicolon + 1)} ${check}${last.slice(semicolon + 1)}`;
  return true;
}

/** Index of the `;` that ends a statement on this line (before any trailing comment), or -1. */
function statementEnd(line: string): number {
  const code = line.replace(/(^|\s)\/\/.*$/, '');
  if (/^\s*\/\//.test(line)) return -1;
  const trimmed = code.trimEnd();
  return trimmed.endsWith(';') ? trimmed.length - 1 : -1;
}

/** The `//` lines right after `from`. */
function commentBlock(lines: readonly string[], from: number): string[] {
  const block: string[] = [];
  for (let i = from; i < lines.length && /^\s*\/\//.test(lines[i] ?? ''); i++) block.push(lines[i] ?? '');
  return block;
}

function uncomment(line: string): string {
  return line.replace(/^\s*\/\/\s?/, '').trim();
}

/**
 * First line of the statement ending on line `end`: walking up until the brackets the statement closes are opened,
 * then to the line after the previous blank, comment, `;`, `{` or `}` line.
 */
function statementStart(lines: readonly string[], end: number): number {
  let balance = 0;
  let start = end;
  for (; start >= 0; start--) {
    balance += bracketBalance(lines[start] ?? '');
    if (balance < 0 || start === 0) continue;
    const previous = (lines[start - 1] ?? '').replace(/(^|\s)\/\/.*$/, '').trim();
    if (previous === '' || /[;{}]$/.test(previous)) break;
  }
  return Math.max(start, 0);
}

/** Opening minus closing brackets of a line, outside strings and a trailing `//` comment. */
function bracketBalance(line: string): number {
  let balance = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"' || c === '`') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '/' && line[i + 1] === '/') break;
    else if (c === '(' || c === '[' || c === '{') balance++;
    else if (c === ')' || c === ']' || c === '}') balance--;
  }
  return balance;
}
