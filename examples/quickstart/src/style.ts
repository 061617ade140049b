/**
 * Terminal styling with plain ANSI codes: colors only when stdout is a
 * terminal and NO_COLOR is unset (https://no-color.org), so piped output and
 * logs stay clean.
 */
export const interactive = Boolean(process.stdout.isTTY);
const colored = interactive && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');

const paint = (open: number, close: number) => (text: string) => (colored ? `\x1b[${open}m${text}\x1b[${close}m` : text);

export const bold = paint(1, 22);
export const dim = paint(2, 22);
export const red = paint(31, 39);
export const green = paint(32, 39);
export const yellow = paint(33, 39);
export const cyan = paint(36, 39);
export const magenta = paint(35, 39);

/** A numbered section title. */
export function heading(title: string): void {
  console.log(`\n${bold(cyan(`== ${title}`))}`);
}

/** A line of narration. */
export function say(text: string): void {
  console.log(`  ${text}`);
}

/** An SQL statement as pewit sent it, with its parameters. */
export function showSql(text: string, values: readonly unknown[] = []): void {
  const params = values.length > 0 ? dim(`  ${JSON.stringify(values)}`) : '';
  console.log(`  ${magenta('SQL')} ${dim(text)}${params}`);
}

/** A result line. */
export function result(text: string): void {
  console.log(`  ${green('→')} ${text}`);
}
