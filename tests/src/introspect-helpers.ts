// Compiling generated model source as a user would: written to a folder, type-checked under strict by tsc against
// the built packages, emitted as JavaScript and imported.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GeneratedFile } from '@pewit/migrate';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** A folder under the repository's node_modules, so the generated files resolve `@pewit/core` like an application. */
export function scratchFolder(label: string): { dir: string; remove: () => void } {
  const base = join(root, 'node_modules', '.cache');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `pewit-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes the files, runs tsc --strict on them (its errors fail the caller), and returns the URLs of the emitted
 * entry and of a module that re-exports the backend. Import both: Node loads them natively, outside vitest's module
 * graph, and a database must come from the same copy of @pewit/core as the models it creates (core tells a foreign
 * key by its class).
 */
export function compileGenerated(dir: string, files: readonly GeneratedFile[], entry: string): { entry: string; backend: string } {
  for (const f of files) writeFileSync(join(dir, f.path), f.source);
  writeFileSync(join(dir, 'pewit-backend.ts'), "export { PostgresqlDatabase } from '@pewit/pg-backend';\n");
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noImplicitOverride: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        outDir: 'out',
        skipLibCheck: true,
        types: [],
      },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc rejected the generated models:\n${e.stdout?.toString()}${e.stderr?.toString()}`);
  }
  const url = (file: string) => pathToFileURL(join(dir, 'out', file.replace(/\.ts$/, '.js'))).href;
  return { entry: url(entry), backend: url('pewit-backend.ts') };
}
