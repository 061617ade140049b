import { type Expressible, logical, unary } from '@pewit/query';
import { type Condition, type ConditionOperand, Expression } from './expression.js';

/**
 * ANDs conditions; `and()` with none is TRUE.
 * @example and(User.age.gte(18), User.isAdmin.eq(false)) // ("users"."age" >= $1) AND ("users"."is_admin" = $2)
 */
export function and(...conditions: ConditionOperand[]): Condition {
  if (conditions.length === 1) return new Expression<boolean>((conditions[0] as Expressible).toNode());
  return new Expression<boolean>(
    logical(
      'AND',
      conditions.map((c) => c.toNode()),
    ),
  );
}

/**
 * ORs conditions; `or()` with none is FALSE.
 * @example or(User.username.eq('a'), User.username.eq('b')) // ("users"."username" = $1) OR ("users"."username" = $2)
 */
export function or(...conditions: ConditionOperand[]): Condition {
  if (conditions.length === 1) return new Expression<boolean>((conditions[0] as Expressible).toNode());
  return new Expression<boolean>(
    logical(
      'OR',
      conditions.map((c) => c.toNode()),
    ),
  );
}

/** Negates a condition. @example not(User.isAdmin) // NOT "users"."is_admin" */
export function not(condition: ConditionOperand): Condition {
  return new Expression<boolean>(unary('NOT', condition.toNode()));
}

/** `EXISTS (subquery)`. @example exists(Tweet.select().where(Tweet.user.eq(User.id))) */
export function exists(subquery: Expressible): Condition {
  return new Expression<boolean>(unary('EXISTS', subquery.toNode()));
}
