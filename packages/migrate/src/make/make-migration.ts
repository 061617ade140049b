import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnyModelClass, Database } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { timestamp } from '../cli/create-migration.js';
import { diffSchemas } from '../diff/diff-schemas.js';
import { type RenameCandidate, renameCandidates } from '../diff/rename-candidates.js';
import type { SchemaChange } from '../diff/schema-change.js';
import { introspectDatabase } from '../introspect/introspect-database.js';
import type { SchemaDescription } from '../introspect/schema-description.js';
import { schemaOfModels } from '../introspect/schema-of-models.js';
import { MigrationError } from '../operations/definition-error.js';
import { HISTORY_TABLE } from '../runner/history.js';
import { loadModels } from './load-models.js';
import type { MigrationStep } from './migration-step.js';
import { applyRenames, clashes, pickRenames, renameQuestion, renameSpelling } from './renames.js';
import { renderMigration } from './render-migration.js';
import { stepsOfChanges } from './steps-of-changes.js';

/** Options of `makeMigration`. */
export interface MakeMigrationOptions {
  /** The live database: a URL (opened and closed here) or a database (left open). */
  readonly database: Database | string;
  /** The models, or the paths of modules that export them. */
  readonly models: readonly AnyModelClass[] | readonly string[];
  /** The migrations folder the file is written to. */
  readonly folder: string;
  /** The migration's name: letters, digits, _ and -. */
  readonly name: string;
  /** Renames decided beforehand, as `--rename` spells them: `users.fullname:users.full_name`, `loans:borrowings`. */
  readonly renames?: readonly string[] | undefined;
  /**
   * Asked about each rename candidate no `renames` entry decided
   * (`rename users.fullname → users.full_name?`); true renames. Without it, or
   * when it answers false, the candidate is written as drop + add, marked DESTRUCTIVE.
   */
  readonly ask?: ((question: string, candidate: RenameCandidate) => boolean | Promise<boolean>) | undefined;
  /** `js` (default), `ts` or `mjs`: the content is the same, valid as both. */
  readonly extension?: 'js' | 'ts' | 'mjs' | undefined;
  /** The history table, left out of the comparison (default `pewit_migrations`). */
  readonly historyTable?: string | undefined;
  /**
   * Tables and enum types of the database to leave out of the comparison (so
   * never dropped), e.g. another application's in a shared database:
   * `ignore: (o) => !o.name.startsWith('shop_')`. By default every table and
   * enum of the models' schemas that no model declares is dropped, flagged DESTRUCTIVE.
   */
  readonly ignore?: ((object: { readonly kind: 'table' | 'enum'; readonly schema: string; readonly name: string }) => boolean) | undefined;
  /** Write nothing: only say what the file would hold (`source`). */
  readonly dryRun?: boolean | undefined;
  /** The time in the file name (tests). */
  readonly now?: Date | undefined;
}

/** What `makeMigration` found and wrote. */
export interface MadeMigration {
  /** The file written, or undefined when the database already matches the models (or for a dry run). */
  readonly path: string | undefined;
  /** The file's source, or undefined when there was nothing to do. */
  readonly source: string | undefined;
  readonly steps: readonly MigrationStep[];
  /** The differences after the renames, as `diffSchemas` lists them. */
  readonly changes: readonly SchemaChange[];
  /** The renames written as renames. */
  readonly renamed: readonly RenameCandidate[];
  /** Candidates left as drop + add (no answer, or no). */
  readonly notRenamed: readonly RenameCandidate[];
  /** What make left alone (views). */
  readonly notes: readonly string[];
}

const dropSummary = (c: RenameCandidate) =>
  c.kind === 'column'
    ? `drop column ${c.schema === 'public' ? '' : `${c.schema}.`}${c.table}.${c.from}`
    : `drop table ${c.schema === 'public' ? '' : `${c.schema}.`}${c.from}`;

/** The live schema without the history table (pewit's own bookkeeping, never in the models) and what `ignore` leaves out. */
function compared(live: SchemaDescription, wanted: SchemaDescription, history: string, ignore: MakeMigrationOptions['ignore']): SchemaDescription {
  const declared = (list: readonly { schema: string; name: string }[], o: { schema: string; name: string }) =>
    list.some((w) => w.schema === o.schema && w.name === o.name);
  const keep = (kind: 'table' | 'enum', o: { schema: string; name: string }) =>
    declared(kind === 'table' ? wanted.tables : wanted.enums, o) || !ignore?.({ kind, schema: o.schema, name: o.name });
  return {
    ...live,
    tables: live.tables.filter((t) => !(t.schema === 'public' && t.name === history) && keep('table', t)),
    enums: live.enums.filter((e) => keep('enum', e)),
  };
}

async function decideRenames(candidates: readonly RenameCandidate[], given: readonly string[], ask: MakeMigrationOptions['ask']): Promise<RenameCandidate[]> {
  const picked = pickRenames(given, candidates);
  for (const [i, a] of picked.entries())
    for (const b of picked.slice(i + 1))
      if (clashes(a, b)) throw new MigrationError(`--rename ${renameSpelling(a)} and --rename ${renameSpelling(b)} rename the same thing; keep one`);
  const accepted = [...picked];
  for (const candidate of candidates) {
    if (accepted.some((a) => a === candidate || clashes(a, candidate))) continue;
    if (ask && (await ask(renameQuestion(candidate), candidate))) accepted.push(candidate);
  }
  return accepted;
}

/**
 * `pewit migrate make` from code: introspects the live database, compares it
 * with the models (`schemaOfModels`), and writes a migration file with `up`
 * and a `down` made of the steps' inverses. A column or table that disappears
 * while a compatible one appears is renamed only when `renames` or `ask` says
 * so; otherwise it is a drop and an add, marked `// DESTRUCTIVE`. When the
 * database already matches the models, nothing is written (`path` undefined).
 *
 * @example
 * const made = await makeMigration({ database: db, models: [User], folder: 'migrations', name: 'add_bio' });
 * made.path;  // 'migrations/20261203130501_add_bio.js'
 * made.steps; // [{ summary: 'add column users.bio text', up: ["m.addColumn('users', 'bio', { type: 'text' });"], … }]
 * // the file's up:   ALTER TABLE "users" ADD COLUMN "bio" text
 * // the file's down: ALTER TABLE "users" DROP COLUMN "bio"
 */
export async function makeMigration(options: MakeMigrationOptions): Promise<MadeMigration> {
  const { name } = options;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(name))
    throw new MigrationError(`migrate make ${String(name)}: a name is letters, digits, _ and - (e.g. add_user_bio)`);
  const models = options.models.every((m) => typeof m === 'string') ? await loadModels(options.models as string[]) : (options.models as AnyModelClass[]);
  if (models.length === 0) throw new MigrationError('migrate make: no models given, so every table would be dropped; pass the models');
  const wanted = schemaOfModels(models);
  const database = typeof options.database === 'string' ? new PostgresqlDatabase(options.database) : options.database;
  let live: SchemaDescription;
  try {
    live = compared(await introspectDatabase(database, { schemas: wanted.schemas }), wanted, options.historyTable ?? HISTORY_TABLE, options.ignore);
  } finally {
    if (typeof options.database === 'string') await database.close();
  }
  const candidates = renameCandidates(diffSchemas(live, wanted));
  const renamed = await decideRenames(candidates, options.renames ?? [], options.ask);
  const notRenamed = candidates.filter((c) => !renamed.some((r) => r === c || clashes(r, c)));
  const afterRenames = applyRenames(live, wanted, renamed);
  const changes = diffSchemas(afterRenames.live, wanted);
  const generated = stepsOfChanges(changes, afterRenames.live);
  const steps = [...afterRenames.steps, ...generated.steps].map((step) => {
    const unanswered = notRenamed.filter((c) => step.summary === dropSummary(c));
    if (unanswered.length === 0) return step;
    const [first] = unanswered as [RenameCandidate];
    const [from] = renameSpelling(first).split(':');
    const targets = unanswered.map((c) => renameSpelling(c).split(':')[1]);
    const flags = unanswered.map((c) => `--rename ${renameSpelling(c)}`).join(' or ');
    const hint = `${from} was not confirmed as renamed to ${targets.join(' or ')}, so it is a drop and an add: if it was renamed, delete this file and run make again with ${flags}`;
    return { ...step, destructive: `${step.destructive}; ${hint}` };
  });
  const base = { steps, changes, renamed, notRenamed, notes: generated.notes };
  if (steps.length === 0) return { ...base, path: undefined, source: undefined };
  const source = renderMigration(name, steps);
  if (options.dryRun) return { ...base, path: undefined, source };
  await mkdir(options.folder, { recursive: true });
  const path = join(options.folder, `${timestamp(options.now)}_${name}.${options.extension ?? 'js'}`);
  await writeFile(path, source, { flag: 'wx' });
  return { ...base, path, source };
}
