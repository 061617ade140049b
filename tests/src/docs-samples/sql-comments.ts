/**
 * Turns SQL comments of samples into assertions, so the SQL a page shows is the SQL pewit builds:
 *
 *     q.sql(); // { text: 'SELECT …', values: [1] }           (may continue on following // lines)
 *
 *     User.select(User.id).limit(10);                          (a statement that builds a query, no await)
 *     // SELECT "users"."id" FROM "users" LIMIT $1     values: [10]
 *
 * The statement is wrapped in `__expectSql(statement, expected, where)`; line numbers do not move. `…` in a
 * comment stands for any text. Statements with `await`, declarations and other statements are left alone: their
 * comments describe what is sent, which the page's run checks only by succeeding.
 */
export function instrumentSqlComments(source: readonly string[], page: string, firstLine: number): { lines: string[]; count: number } {
  const lines = [...source];
  let count = 0;
  for (let end = 0; end < lines.length; end++) {
    const code = lines[end] ?? '';
    const semicolon = statementEnd(code);
    if (semicolon < 0) continue;
    const sameLine = code.slice(semicolon + 1).trim();
    const following = commentBlock(lines, end + 1);
    let expected: string | undefined;
    let where = firstLine + end;
    if (/\.sql\(\)$/.test(code.slice(0, semicolon).trimEnd()) && sameLine.startsWith('//') && sameLine.slice(2).trim().startsWith('{')) {
      expected = [sameLine.slice(2), ...following.map(uncomment)].join(' ');
    } else if (/\.sql\(\)$/.test(code.slice(0, semicolon).trimEnd()) && sameLine === '' && following[0]?.match(/^\s*\/\/\s*\{/)) {
      expected = following.map(uncomment).join(' ');
      where += 1;
    } else if (following.length > 0 && /^(?:SELECT|INSERT|UPDATE|DELETE|WITH|\(SELECT|…)(?:\s|$)/.test(uncomment(following[0] ?? ''))) {
      expected = following.map(uncomment).join(' ');
      where += 1;
    }
    if (expected === undefined) continue;
    const start = statementStart(lines, end);
    const head = lines[start] ?? '';
    const indent = head.length - head.trimStart().length;
    if (/^(?:const|let|var|await|return|throw|for|if|while|try|export)\b/.test(head.trimStart())) continue;
    if (/^\s*[\w$.[\]'"]+\s*=[^=>]/.test(head)) continue; // an assignment
    lines[start] = `${head.slice(0, indent)}__expectSql(${head.slice(indent)}`;
    const last = lines[end] ?? '';
    const at = start === end ? semicolon + '__expectSql('.length : semicolon;
    lines[end] = `${last.slice(0, at)}, ${JSON.stringify(expected.trim())}, ${JSON.stringify(`${page}:${where}`)})${last.slice(at)}`;
    count++;
  }
  return { lines, count };
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

/** First line of the statement ending on line `end`: after the previous blank, comment, `;`, `{` or `}` line. */
function statementStart(lines: readonly string[], end: number): number {
  let start = end;
  while (start > 0) {
    const previous = (lines[start - 1] ?? '').replace(/(^|\s)\/\/.*$/, '').trim();
    if (previous === '' || /[;{}]$/.test(previous)) break;
    start--;
  }
  return start;
}
