import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError } from '../operations/definition-error.js';
import { checkDefinition, type MigrationDefinition } from './define-migration.js';

/** A file of the migrations folder. */
export interface MigrationFile {
  /** The file name without its extension: `20261203130000_add_bio`. */
  readonly name: string;
  readonly path: string;
  /** sha256 of the file's bytes: a file edited after it was applied no longer matches its history row. */
  readonly checksum: string;
}

const EXTENSIONS = new Set(['.js', '.mjs', '.ts', '.mts']);

/** The migration files of `folder`, sorted by name (names start with a timestamp, so this is the order they were made). */
export async function listMigrationFiles(folder: string): Promise<MigrationFile[]> {
  const dir = resolve(folder);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new MigrationError(`the migrations folder ${dir} does not exist (create one with: pewit migrate create <name>)`);
    throw error;
  }
  const files = entries.filter((f) => EXTENSIONS.has(extname(f)) && !f.endsWith('.d.ts') && !f.endsWith('.d.mts')).sort();
  const out: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = basename(file, extname(file));
    const other = seen.get(name);
    if (other)
      throw new MigrationError(
        `two migration files are named ${name}: ${other} and ${file}; keep one (a compiled .js next to its .ts? point --migrations at one of the folders)`,
      );
    seen.set(name, file);
    const path = join(dir, file);
    out.push({
      name,
      path,
      checksum: createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    });
  }
  return out;
}

/** Explains the Node versions that load a `.ts` file, when this one cannot. */
export function typeScriptHint(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.m?ts$/.test(path))
    return new MigrationError(
      `${path}: this Node (${process.version}) cannot load TypeScript; use Node 22.6+ with --experimental-strip-types (23.6+ needs no flag), or compile the file to .js`,
    );
  return error as Error;
}

/** Imports a migration file and checks what it exports. */
export async function loadMigration(file: MigrationFile): Promise<MigrationDefinition> {
  let mod: Record<string, unknown>;
  try {
    // The checksum in the URL: a process that runs again after the file was edited loads the new text, not the cached module.
    mod = await import(`${pathToFileURL(file.path).href}?checksum=${file.checksum.slice(0, 16)}`);
  } catch (error) {
    throw typeScriptHint(file.path, error);
  }
  const exported = mod.default ?? { up: mod.up, down: mod.down, transaction: mod.transaction };
  return checkDefinition(`migration ${file.name}`, exported);
}
