import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folders whose frames belong to pewit: `dist/` and `src/` of every
 * `@pewit/*` package next to core and next to warn mode itself. Found by
 * package, not by `node_modules`, because in a workspace the packages are
 * symlinked and their frames carry real paths like `…/packages/core/dist/`,
 * which look just like a user's own files.
 */
export function pewitFolders(): string[] {
  const packageRoots = new Set<string>();
  const ownRoot = fileURLToPath(new URL('..', import.meta.url));
  packageRoots.add(trimSep(ownRoot));
  try {
    const coreEntry = createRequire(import.meta.url).resolve('@pewit/core');
    packageRoots.add(dirname(dirname(coreEntry)));
  } catch {
    // core not resolvable from here (bundled app): the node_modules/@pewit rule in isPewitFrame still applies.
  }
  const folders = new Set<string>();
  for (const root of packageRoots) {
    for (const sibling of siblingPewitPackages(dirname(root))) {
      folders.add(join(sibling, 'dist') + sep);
      folders.add(join(sibling, 'src') + sep);
    }
  }
  return [...folders];
}

/** Directories in `parent` holding a package.json named `@pewit/…`. */
function siblingPewitPackages(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.map((name) => join(parent, name)).filter((dir) => packageName(dir)?.startsWith('@pewit/'));
}

function packageName(dir: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

function trimSep(path: string): string {
  return path.endsWith(sep) ? path.slice(0, -1) : path;
}
