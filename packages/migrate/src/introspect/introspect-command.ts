import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, styleText } from 'node:util';
import { generateModels } from './generate-models.js';
import { introspectDatabase } from './introspect-database.js';

const USAGE = `Usage: pewit introspect --url <postgres://…> [--schema <name>]… [--out <file.ts> | --out-dir <folder>]

Writes pewit model source for every table and view of the schemas (default: public).
  --url        the database (default: $DATABASE_URL)
  --schema     a schema to read; repeat for several
  --out        write one file (default: models.ts in the current folder; "-" prints it)
  --out-dir    write one file per table and view, plus index.ts
`;

/** Where the command writes: stdout for source printed with `--out -`, stderr for progress and notes. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/**
 * `pewit introspect`: reads the schemas of a live database and writes model
 * source (peewee's pwiz, Drizzle's pull). Returns the exit code: 0 written,
 * 1 failed, 2 wrong arguments. The URL's password is never printed.
 *
 * @example
 * await runIntrospectCommand(['--url', 'postgres://localhost/shop', '--schema', 'public', '--out-dir', 'src/models']);
 * // Introspected public: 17 tables, 2 views, 2 enums
 * // wrote src/models/users.ts … src/models/index.ts
 */
export async function runIntrospectCommand(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  let values: { url?: string | undefined; schema?: string[] | undefined; out?: string | undefined; 'out-dir'?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        schema: { type: 'string', multiple: true },
        out: { type: 'string' },
        'out-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`${styleText('red', (error as Error).message)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const url = values.url ?? process.env.DATABASE_URL;
  if (!url) {
    io.stderr(`${styleText('red', 'pewit introspect: give the database with --url (or DATABASE_URL)')}\n\n${USAGE}`);
    return 2;
  }
  if (values.out !== undefined && values['out-dir'] !== undefined) {
    io.stderr(`${styleText('red', 'pewit introspect: --out and --out-dir exclude each other')}\n`);
    return 2;
  }
  const schemas = values.schema ?? ['public'];
  try {
    const description = await introspectDatabase(url, { schemas });
    const generated = generateModels(description, { layout: values['out-dir'] !== undefined ? 'per-table' : 'single' });
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    io.stderr(
      `Introspected ${schemas.join(', ')}: ${count(description.tables.length, 'table')}, ${count(description.views.length, 'view')}, ${count(description.enums.length, 'enum')}\n`,
    );
    for (const note of generated.notes) io.stderr(`${styleText('yellow', 'note')} ${note}\n`);
    if (values.out === '-') {
      for (const file of generated.files) io.stdout(file.source);
      return 0;
    }
    const written: string[] = [];
    for (const file of generated.files) {
      const path = values['out-dir'] !== undefined ? join(values['out-dir'], file.path) : (values.out ?? file.path);
      mkdirSync(dirname(resolve(path)), { recursive: true });
      writeFileSync(path, file.source);
      written.push(path);
    }
    io.stderr(`${styleText('green', 'wrote')} ${written.join(', ')}\n`);
    return 0;
  } catch (error) {
    // pg's errors never carry the password; the URL itself is not printed.
    io.stderr(`${styleText('red', `pewit introspect: ${(error as Error).message}`)}\n`);
    return 1;
  }
}
