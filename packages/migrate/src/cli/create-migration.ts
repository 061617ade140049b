import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from '../operations/definition-error.js';

/** `20261203130501`: UTC, so files made by people in different zones sort in the order they were made. */
export const timestamp = (now: Date = new Date()): string => now.toISOString().replace(/[-:T]/g, '').slice(0, 14);

const TEMPLATE = `import { defineMigration } from '@pewit/migrate';

export default defineMigration({
  up(m) {
    // m.addColumn('users', 'bio', { type: 'text' });
  },
  // down(m) { … } — when left out, down is derived from up's operations (or refused, naming the one that has no inverse).
});
`;

/**
 * Writes an empty migration file and returns its path. Its `up` records
 * nothing, so running it before it is filled in is refused, not a silent no-op.
 *
 * @example await createMigrationFile('migrations', 'add_bio', 'js') // 'migrations/20261203130501_add_bio.js'
 */
export async function createMigrationFile(folder: string, name: string, extension: 'js' | 'ts' | 'mjs', now?: Date): Promise<string> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new MigrationError(`migrate create ${name}: a name is letters, digits, _ and - (e.g. add_user_bio)`);
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${timestamp(now)}_${name}.${extension}`);
  await writeFile(path, TEMPLATE, { flag: 'wx' });
  return path;
}
