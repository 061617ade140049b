/**
 * The type-check benchmark (`npm run bench:types`): writes a generated
 * application of 100 models and 500 queries (src/types/generate-app.ts) to
 * bench/types-app/, runs `tsc --noEmit --extendedDiagnostics` on it a few
 * times and prints the median check time, memory and instantiation count.
 * No database. BENCH_TYPES_ROUNDS sets the number of runs (default 3).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import { appTsconfig, MODELS, QUERIES, querySources, schemaSource } from './types/generate-app.js';

const appFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'types-app');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const rounds = Math.max(1, Number(process.env.BENCH_TYPES_ROUNDS ?? 3));

rmSync(appFolder, { recursive: true, force: true });
mkdirSync(appFolder, { recursive: true });
writeFileSync(join(appFolder, 'tsconfig.json'), `${JSON.stringify(appTsconfig, null, 2)}\n`);
writeFileSync(join(appFolder, 'package.json'), '{ "type": "module", "private": true }\n');
writeFileSync(join(appFolder, 'schema.ts'), schemaSource());
for (const [file, text] of querySources()) writeFileSync(join(appFolder, file), text);

interface Diagnostics {
  readonly checkSeconds: number;
  readonly totalSeconds: number;
  readonly memoryKb: number;
  readonly instantiations: number;
  readonly types: number;
}

function field(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
  if (!match?.[1]) throw new Error(`tsc --extendedDiagnostics printed no "${label}":\n${output}`);
  return Number(match[1]);
}

function run(): Diagnostics {
  let output: string;
  try {
    output = execFileSync(process.execPath, [tsc, '-p', appFolder, '--extendedDiagnostics'], { encoding: 'utf8' });
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`the generated application does not type-check:\n${out.split('\n').slice(0, 40).join('\n')}`);
  }
  return {
    checkSeconds: field(output, 'Check time'),
    totalSeconds: field(output, 'Total time'),
    memoryKb: field(output, 'Memory used'),
    instantiations: field(output, 'Instantiations'),
    types: field(output, 'Types'),
  };
}

const runs = Array.from({ length: rounds }, run);
const pick = (key: keyof Diagnostics) => median(runs.map((r) => r[key]));
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`type-check benchmark: ${MODELS} models, ${QUERIES} queries; tsc ${execFileSync(process.execPath, [tsc, '-v'], { encoding: 'utf8' }).trim()}`);
console.log(`${cpus().length} × ${cpu}; median of ${rounds} runs`);
console.log(`check time      ${pick('checkSeconds').toFixed(2)} s`);
console.log(`total time      ${pick('totalSeconds').toFixed(2)} s`);
console.log(`memory used     ${Math.round(pick('memoryKb') / 1024)} MB`);
console.log(`instantiations  ${pick('instantiations')}`);
console.log(`types           ${pick('types')}`);
