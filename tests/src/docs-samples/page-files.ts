import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule, type PageModule } from './build-module.js';
import { extractSamples } from './extract-samples.js';

/** The markdown pages whose samples are checked: README.md and docs/*.md, relative to the repository root. */
export function listPages(repoRoot: string): string[] {
  const docs = readdirSync(join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** A page with samples, built into a module, and the file name the module gets. */
export interface BuiltPage extends PageModule {
  /** File name without extension, e.g. `docs-querying`. */
  readonly slug: string;
  /** Why the page's samples could not be read or assembled (a malformed fence, say); its module is then empty. */
  readonly problem?: string;
}

/**
 * Builds the module of every page that has TypeScript samples; pages without any are left out. A page whose
 * samples cannot be assembled is kept with its `problem`, so only its own test fails.
 */
export function buildPages(repoRoot: string): BuiltPage[] {
  const built: BuiltPage[] = [];
  for (const page of listPages(repoRoot)) {
    const slug = page.replace(/\.md$/, '').replace(/[^\w-]+/g, '-');
    try {
      const samples = extractSamples(page, readFileSync(join(repoRoot, page), 'utf8'));
      if (samples.samples.length === 0) continue;
      built.push({ ...buildModule(samples), slug });
    } catch (error) {
      built.push({ page, slug, source: '', origins: [], sqlChecks: 0, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return built;
}

/**
 * A fresh folder for this run's generated files under `parent` (inside the tests workspace, so `@pewit/*`
 * resolve through the workspace's node_modules). Folders of runs whose process is gone are removed; those of
 * runs still going (another vitest on the same tree) are left alone.
 */
export function makeRunFolder(parent: string): string {
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(parent, `run-${process.pid}-`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
