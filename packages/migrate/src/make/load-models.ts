import { pathToFileURL } from 'node:url';
import type { AnyModelClass } from '@pewit/core';
import { MigrationError } from '../operations/definition-error.js';
import { typeScriptHint } from '../runner/migration-files.js';

const isModel = (v: unknown): v is AnyModelClass =>
  typeof v === 'function' && typeof (v as { _meta?: unknown })._meta === 'object' && (v as { _meta?: unknown })._meta !== null;

/**
 * The model classes a module's exports hold: exported classes, and arrays of them (`export const models = [User, Tweet]`).
 * @example modelsOf(await import('./models.js')) // [User, Tweet]
 */
export function modelsOf(exports: Record<string, unknown>): AnyModelClass[] {
  const found = new Set<AnyModelClass>();
  for (const value of Object.values(exports)) {
    if (isModel(value)) found.add(value);
    else if (Array.isArray(value)) for (const item of value) if (isModel(item)) found.add(item);
  }
  return [...found];
}

/**
 * Imports the modules of the config's `models` (or `--models`) and collects
 * their model classes, in the order found. A module that exports none is an
 * error naming it: a typo in a path must not make every table look dropped.
 *
 * @example await loadModels(['/app/dist/models.js']) // [User, Tweet]
 */
export async function loadModels(paths: readonly string[]): Promise<AnyModelClass[]> {
  if (paths.length === 0)
    throw new MigrationError("migrate make: which models? set models in pewit.config.js (models: ['dist/models.js']) or pass --models <module>");
  const all = new Set<AnyModelClass>();
  for (const path of paths) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(path).href);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(path))
        throw new MigrationError(`--models ${path}: no such module (give the built .js file, or a .ts one on a Node that loads TypeScript)`);
      throw typeScriptHint(path, error);
    }
    const models = modelsOf(mod);
    if (models.length === 0) throw new MigrationError(`${path} exports no model class (export class User extends model(…), or export const models = […])`);
    for (const m of models) all.add(m);
  }
  return [...all];
}
