import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the layers of core (.dependency-cruiser.cjs)', () => {
  it('no value import breaks a rule', { timeout: 60_000 }, async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const { default: config } = await import(new URL('../.dependency-cruiser.cjs', import.meta.url).href);
      const result = await cruise(['src'], { ruleSet: config, validate: true, ...config.options });
      const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
      const violations = output.summary.violations.map(
        (v: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }) =>
          `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
      );
      expect(violations).toEqual([]);
      expect(output.summary.totalCruised).toBeGreaterThan(50);
    } finally {
      process.chdir(cwd);
    }
  });

  // README.md and architecture.md: core holds no driver; it never imports pg, pg-pool or pg-cursor, not even
  // their types (a type import would make core's .d.ts need @types/pg), and does not depend on them.
  it('never imports pg, pg-pool or pg-cursor, not even their types, and does not depend on them', () => {
    const driverImport = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:pg|pg-pool|pg-cursor|pg-protocol|@types\/pg)(?:\/[^'"]*)?['"]/;
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => driverImport.test(readFileSync(join(root, 'src', f), 'utf8')))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}));
    expect(declared.filter((name) => /^(pg|pg-.*|@types\/pg)$/.test(name))).toEqual([]);
  });
});
