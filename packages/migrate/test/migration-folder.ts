import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Inside the package (git-ignored), so migration files resolve `@pewit/migrate` and `@pewit/core` through the workspace. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../.pewit-test');

/** A fresh migrations folder; `write(name, body)` adds `<name>.mjs` with the usual imports. */
export function migrationFolder(): { dir: string; write: (name: string, body: string) => string; remove: () => void } {
  const dir = join(ROOT, randomBytes(6).toString('hex'));
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    write: (name, body) => {
      const path = join(dir, `${name}.mjs`);
      writeFileSync(path, `import { defineMigration } from '@pewit/migrate';\nimport { sql } from '@pewit/core';\n\n${body}\n`);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
