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
});
