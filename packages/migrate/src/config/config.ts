import { access } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { redactUrl } from '@pewit/core';
import { MigrationError } from '../operations/definition-error.js';
import { typeScriptHint } from '../runner/migration-files.js';

/**
 * What `pewit.config.js` (or `.mjs`, `.ts`, `.mts`) exports, all optional:
 * flags override it, and `DATABASE_URL` stands in for a missing `url`.
 *
 * @example
 * // pewit.config.js
 * import { defineConfig } from '@pewit/migrate';
 * export default defineConfig({ url: process.env.DATABASE_URL, migrations: 'migrations', models: ['dist/models.js'] });
 */
export interface PewitConfig {
  /** The database URL. Printed only with its password masked. */
  readonly url?: string | undefined;
  /** The migrations folder, relative to the config file's folder (default `migrations`). */
  readonly migrations?: string | undefined;
  /** The module(s) that export the models (classes, or arrays of them), which `pewit migrate make` compares with the database. */
  readonly models?: string | readonly string[] | undefined;
  /** The history table (default `pewit_migrations`). */
  readonly table?: string | undefined;
}

/** Types a config file. @example export default defineConfig({ migrations: 'db/migrations' }) */
export function defineConfig(config: PewitConfig): PewitConfig {
  return config;
}

/** The file names looked for, in this order, in the working directory. */
export const CONFIG_FILES = ['pewit.config.js', 'pewit.config.mjs', 'pewit.config.ts', 'pewit.config.mts'] as const;

/** The settings a command runs with, after flags, config file and environment. */
export interface ResolvedConfig {
  readonly url: string | undefined;
  readonly migrations: string;
  readonly models: readonly string[];
  readonly table: string | undefined;
  /** The config file read, if any. */
  readonly file: string | undefined;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function findConfig(cwd: string, explicit: string | undefined): Promise<string | undefined> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!(await exists(path))) throw new MigrationError(`--config ${explicit}: no such file`);
    return path;
  }
  for (const name of CONFIG_FILES) {
    const path = resolve(cwd, name);
    if (await exists(path)) return path;
  }
  return undefined;
}

async function importConfig(path: string): Promise<PewitConfig> {
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (error) {
    throw typeScriptHint(path, error);
  }
  const config = typeof mod.default === 'function' ? await (mod.default as () => unknown)() : mod.default;
  if (typeof config !== 'object' || config === null)
    throw new MigrationError(`${path}: export default an object, e.g. export default defineConfig({ migrations: 'migrations' })`);
  return config as PewitConfig;
}

/**
 * Reads the config: flags first, then the config file, then `DATABASE_URL`.
 * Paths in the file are relative to its folder; paths in flags to `cwd`.
 */
export async function resolveConfig(
  flags: { url?: string | undefined; migrations?: string | undefined; models?: readonly string[] | undefined; config?: string | undefined },
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedConfig> {
  const file = await findConfig(cwd, flags.config);
  const config = file ? await importConfig(file) : {};
  const base = file ? resolve(file, '..') : cwd;
  const models = flags.models?.length ? flags.models.map((m) => resolve(cwd, m)) : [config.models ?? []].flat().map((m) => resolve(base, m));
  return {
    url: flags.url ?? config.url ?? env.DATABASE_URL,
    migrations: flags.migrations !== undefined ? resolve(cwd, flags.migrations) : resolve(base, config.migrations ?? 'migrations'),
    models,
    table: config.table,
    file,
  };
}

/** The extension `migrate create` writes: TypeScript when the project's config is TypeScript. */
export const preferredExtension = (config: ResolvedConfig): 'ts' | 'js' => (config.file && /\.m?ts$/.test(extname(config.file)) ? 'ts' : 'js');

/** Re-exported from @pewit/core: the URL with its password masked, as `pewit` prints it. */
export { redactUrl };
