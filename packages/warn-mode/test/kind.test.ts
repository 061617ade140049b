import { describe, expect, it } from 'vitest';
import { kindOf } from '../src/kind.js';

describe('kindOf', () => {
  it('words core triggers the way reports show them', () => {
    expect(kindOf({ trigger: 'lazy foreign key', target: 'Tweet.user' })).toBe('lazy foreign key Tweet.user');
    expect(kindOf({ trigger: 'for…of', target: 'SelectQuery<Tweet>' })).toBe('for…of over SelectQuery<Tweet>');
    expect(kindOf({ trigger: 'countSync', target: 'SelectQuery<Tweet>' })).toBe('countSync() on SelectQuery<Tweet>');
    expect(kindOf({ trigger: 'createSync', target: 'User.createSync()' })).toBe('User.createSync()');
  });
});
