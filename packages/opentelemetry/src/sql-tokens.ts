/**
 * The tokens of a PostgreSQL statement that a query summary needs: words, quoted identifiers and punctuation.
 * String literals, dollar-quoted bodies, numbers, `$n` placeholders and comments are skipped, so no literal a
 * statement carries can reach a summary.
 */
export type SqlToken =
  | { readonly kind: 'word'; readonly text: string; readonly upper: string }
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/**
 * Splits SQL text into the tokens a summary reads.
 * @example sqlTokens(`SELECT "a" FROM "t" WHERE "b" = 'x'`) // SELECT, "a", FROM, "t", WHERE, "b", =   (the literal is skipped)
 */
export function sqlTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(text, i);
    } else if (c === "'") {
      // E'…' strings take backslash escapes; the E itself was read as a word just before.
      const previous = tokens.at(-1);
      const escapes = previous?.kind === 'word' && previous.upper === 'E' && (text[i - 1] === 'E' || text[i - 1] === 'e');
      if (escapes) tokens.pop();
      i = skipString(text, i, escapes);
    } else if (c === '"') {
      const end = skipQuoted(text, i, '"');
      tokens.push({ kind: 'ident', text: text.slice(i, end) });
      i = end;
    } else if (c === '$') {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))?.[0];
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        i = close === -1 ? text.length : close + tag.length;
      } else {
        i++;
        while (i < text.length && /[0-9]/.test(text[i] as string)) i++;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      i++;
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i] as string)) i++;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < text.length && WORD_PART.test(text[i] as string)) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: 'word', text: word, upper: word.toUpperCase() });
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

function skipBlockComment(text: string, start: number): number {
  // PostgreSQL nests block comments.
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

function skipString(text: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === "'") {
      if (text[i + 1] === "'") i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return i;
}

function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return i;
}
