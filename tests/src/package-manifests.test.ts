// Proves the dependency picture of docs/architecture.md and docs/backends.md from the published manifests: which
// package depends on which, and that backends, warn mode, migrate and opentelemetry take @pewit/core as a peer (one
// copy of core per application). packaging.test.ts installs the packed tarballs; this reads what they declare.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  readonly private?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}
const manifest = (name: string): Manifest => JSON.parse(readFileSync(new URL(`../../packages/${name}/package.json`, import.meta.url), 'utf8'));
const names = (deps: Record<string, string> | undefined) => Object.keys(deps ?? {}).sort();

describe('package dependencies point one way: down', () => {
  it('seven published packages', () => {
    const folders = readdirSync(new URL('../../packages/', import.meta.url)).filter((name) => !manifest(name).private);
    expect(folders.sort()).toEqual(['core', 'migrate', 'opentelemetry', 'pg-backend', 'pooled-backend', 'query', 'warn-mode']);
  });

  it('@pewit/query has no runtime dependencies; @pewit/core depends on @pewit/query alone (no driver)', () => {
    expect(names(manifest('query').dependencies)).toEqual([]);
    expect(names(manifest('core').dependencies)).toEqual(['@pewit/query']);
    expect(names(manifest('core').peerDependencies)).toEqual([]);
  });

  it('pg-backend brings pg and pg-cursor; pooled-backend adds pg-pool and composes pg-backend', () => {
    expect(names(manifest('pg-backend').dependencies)).toEqual(expect.arrayContaining(['pg', 'pg-cursor']));
    expect(names(manifest('pg-backend').dependencies)).not.toContain('pg-pool');
    expect(names(manifest('pooled-backend').dependencies)).toEqual(expect.arrayContaining(['@pewit/pg-backend', 'pg-pool']));
  });

  it('the backends, warn mode and migrate take @pewit/core as a peer, never as a dependency of their own', () => {
    for (const name of ['pg-backend', 'pooled-backend', 'warn-mode', 'migrate']) {
      expect(names(manifest(name).peerDependencies), name).toEqual(['@pewit/core']);
      expect(names(manifest(name).dependencies), name).not.toContain('@pewit/core');
    }
    expect(names(manifest('migrate').dependencies)).toEqual(['@pewit/pg-backend', '@pewit/query']);
    // @pewit/opentelemetry: core and @opentelemetry/api, both as peers, and nothing else.
    expect(names(manifest('opentelemetry').peerDependencies)).toEqual(['@opentelemetry/api', '@pewit/core']);
    expect(names(manifest('opentelemetry').dependencies)).toEqual([]);
  });
});
