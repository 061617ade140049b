import type { EvaluationDescription } from '@pewit/core';

/**
 * Words for what evaluated, from core's trigger and target.
 *
 * @example
 * kindOf({ trigger: 'lazy foreign key', target: 'Tweet.user' }) // 'lazy foreign key Tweet.user'
 * kindOf({ trigger: 'for…of', target: 'SelectQuery<Tweet>' })    // 'for…of over SelectQuery<Tweet>'
 * kindOf({ trigger: 'countSync', target: 'SelectQuery<Tweet>' }) // 'countSync() on SelectQuery<Tweet>'
 * kindOf({ trigger: 'createSync', target: 'User.createSync()' }) // 'User.createSync()'
 */
export function kindOf(what: EvaluationDescription): string {
  const { trigger, target } = what;
  if (target.includes(trigger)) return target;
  if (trigger.startsWith('for')) return `${trigger} over ${target}`;
  if (/^[a-z]\w*Sync$/i.test(trigger)) return `${trigger}() on ${target}`;
  return `${trigger} ${target}`;
}
