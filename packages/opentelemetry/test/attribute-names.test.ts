import * as semconv from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import * as names from '../src/attribute-names.js';

// The package writes the stable attribute names out instead of depending on @opentelemetry/semantic-conventions
// at run time; each must be the convention's own string, exported by that package under the same name.
describe('attribute names', () => {
  it.each(Object.entries(names).filter(([name]) => !name.startsWith('ATTR_PEWIT_')))('%s is the stable semantic convention', (name, value) => {
    expect((semconv as Record<string, unknown>)[name]).toBe(value);
  });

  it('keeps pewit’s own attributes in the pewit namespace', () => {
    expect([names.ATTR_PEWIT_PATH, names.ATTR_PEWIT_SERVER]).toEqual(['pewit.path', 'pewit.server']);
  });
});
