import { describe, expect, it } from 'vitest';
import { firstUserFrame, parseFrame } from '../src/call-site.js';

const pewit = ['/repo/packages/core/dist/', '/repo/packages/core/src/', '/repo/packages/warn-mode/dist/'];

describe('parseFrame', () => {
  it('reads named, anonymous, async and file:// frames', () => {
    expect(parseFrame('    at feed (/app/src/feed.ts:12:5)')).toEqual({ file: '/app/src/feed.ts', line: 12, column: 5, location: '/app/src/feed.ts:12:5' });
    expect(parseFrame('    at /app/src/feed.ts:3:1')?.location).toBe('/app/src/feed.ts:3:1');
    expect(parseFrame('    at async Promise.all (index 0)')).toBeUndefined();
    expect(parseFrame('    at async handler (file:///app/src/a%20b.mjs:7:9)')?.file).toBe('/app/src/a b.mjs');
    expect(parseFrame('    at fn (/home/me/copy (2)/x.js:1:2)')?.file).toBe('/home/me/copy (2)/x.js');
    expect(parseFrame('    at new Promise (<anonymous>)')).toBeUndefined();
    expect(parseFrame('Error')).toBeUndefined();
  });
});

describe('firstUserFrame', () => {
  it('skips pewit package folders, node_modules/@pewit and Node internals, by package and not by node_modules', () => {
    const stack = [
      'Error',
      '    at listener (/repo/packages/warn-mode/dist/enable-warn-mode.js:40:22)',
      '    at Emitter.emit (/repo/packages/core/dist/database/events.js:30:13)',
      '    at readRelationSync (/repo/packages/core/src/model/relations.ts:60:5)',
      '    at get (/app/node_modules/@pewit/core/dist/model/define-model.js:9:1)',
      '    at AsyncLocalStorage.run (node:internal/async_local_storage/async_hooks:91:14)',
      '    at render (/repo/packages/app/src/feed.ts:12:30)',
      '    at main (/repo/packages/app/src/main.ts:2:1)',
    ].join('\n');
    expect(firstUserFrame(stack, pewit)?.location).toBe('/repo/packages/app/src/feed.ts:12:30');
  });

  it('gives undefined when every frame is pewit or Node', () => {
    expect(firstUserFrame('Error\n    at x (/repo/packages/core/dist/a.js:1:1)\n    at node:internal/main:1:1', pewit)).toBeUndefined();
  });
});
