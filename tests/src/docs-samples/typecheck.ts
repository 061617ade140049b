import { copyFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { SQL_CHECK_MODULE } from './build-module.js';
import type { BuiltPage } from './page-files.js';

/**
 * Writes every page's module into `folder` and type-checks them all in one TypeScript program (strict, with
 * the repository's base options, against the built packages), emitting JavaScript into `folder/out` for node
 * to run. Returns the diagnostics per page slug (key `*`: diagnostics about no page).
 *
 * The compiler API rather than the tsc command: tsc skips every semantic check once any file has a syntax
 * error, so one page's typo would hide the type errors of all the others.
 */
export function writeAndTypecheck(folder: string, repoRoot: string, pages: readonly BuiltPage[]): Map<string, string> {
  for (const page of pages) if (!page.problem) writeFileSync(join(folder, `${page.slug}.ts`), page.source);
  copyFileSync(fileURLToPath(new URL(`./${SQL_CHECK_MODULE}.ts`, import.meta.url)), join(folder, `${SQL_CHECK_MODULE}.ts`));
  const tsconfig = {
    extends: relative(folder, join(repoRoot, 'tsconfig.base.json')),
    compilerOptions: { rootDir: '.', outDir: 'out', declaration: false, declarationMap: false, sourceMap: true, noEmitOnError: false },
    include: ['*.ts'],
  };
  const configPath = join(folder, 'tsconfig.json');
  writeFileSync(configPath, JSON.stringify(tsconfig, null, 2));

  const byFile = new Map<string, string>();
  const add = (key: string, text: string) => byFile.set(key, `${byFile.get(key) ?? ''}${text}\n`);
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => folder, getNewLine: () => '\n' };
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => add('*', ts.formatDiagnostic(d, host)) },
  );
  if (!parsed) return byFile;
  for (const d of parsed.errors) add('*', ts.formatDiagnostic(d, host));

  const program = ts.createProgram(parsed.fileNames, parsed.options);
  for (const d of program.getOptionsDiagnostics()) add('*', ts.formatDiagnostic(d, host));
  for (const file of program.getRootFileNames()) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const key = relative(folder, file).replace(/\.ts$/, '');
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of diagnostics) add(key === SQL_CHECK_MODULE ? '*' : key, ts.formatDiagnostic(d, host).trimEnd());
  }
  const emitted = program.emit();
  for (const d of emitted.diagnostics) add('*', ts.formatDiagnostic(d, host));
  return byFile;
}
