import { type Expressible, fn as fnNode, isExpressible, type Node, value } from '@pewit/query';
import { type Condition, Expression } from './expression.js';
import { FunctionExpression } from './functions.js';
import { binaryOp } from './operators.js';

declare const tsvectorBrand: unique symbol;
declare const tsqueryBrand: unique symbol;
/** The text form of a `tsvector` (`'cat':2 'fat':1`). */
export type TsVector = string & { readonly [tsvectorBrand]?: true };
/** The text form of a `tsquery` (`'fat' & 'cat'`); only a tsquery expression is one. */
export type TsQuery = string & { readonly [tsqueryBrand]: true };

/** What `match()` takes: a string (read with `plainto_tsquery`) or a tsquery expression. */
export type MatchQuery = string | Expression<TsQuery> | Expression<TsQuery | null>;

/** Options of `match()`. */
export interface MatchOptions {
  /** The text search configuration for a string query, e.g. `'english'` (a parameter cast to regconfig). */
  readonly config?: string;
}

const text = (v: string | Expressible): Node => (isExpressible(v) ? v.toNode() : value(v, 'text'));
const config = (c: string): Node => value(c, 'regconfig');

function call<T>(name: string, args: readonly (string | Expressible)[]): Node {
  const nodes = args.length === 2 ? [config(args[0] as string), text(args[1] as string | Expressible)] : [text(args[0] as string | Expressible)];
  return new FunctionExpression<T>(fnNode(name, nodes)).toNode();
}

/** `@@` of a tsvector expression or column against a query. */
export function matchNode(vector: Expressible, query: MatchQuery | Expressible, options: MatchOptions = {}): Condition {
  if (typeof query === 'string') {
    const q = options.config === undefined ? call('plainto_tsquery', [query]) : call('plainto_tsquery', [options.config, query]);
    return binaryOp(vector, '@@', q);
  }
  return binaryOp(vector, '@@', query.toNode());
}

/** The text search operator, on a tsvector column or expression. */
export interface TextSearchOperators {
  /**
   * `@@`: matches the query; a string is read with `plainto_tsquery` (words, ANDed).
   * @example Doc.body.match('fat cats')                          // "docs"."body" @@ plainto_tsquery($1::text)
   * @example Doc.body.match('fat cats', { config: 'english' })   // … @@ plainto_tsquery($1::regconfig, $2::text)
   * @example Doc.body.match(websearchToTsquery('"fat cat" -dog')) // … @@ websearch_to_tsquery($1::text)
   */
  match(query: MatchQuery, options?: MatchOptions): Condition;
}

/** A tsvector expression (`toTsvector(…)`), which can `match`. */
export type TsVectorExpression = Expression<TsVector> & TextSearchOperators;

class TsVectorExpressionImpl extends Expression<TsVector> {
  match(query: MatchQuery, options?: MatchOptions): Condition {
    return matchNode(this, query, options);
  }
}

/**
 * `to_tsvector([config,] document)`; the document is a column, an expression or a string (a parameter).
 * @example toTsvector('english', Post.title).match('cats') // to_tsvector($1::regconfig, "posts"."title") @@ plainto_tsquery($2::text)
 */
export function toTsvector(document: string | Expressible): TsVectorExpression;
export function toTsvector(config: string, document: string | Expressible): TsVectorExpression;
export function toTsvector(...args: (string | Expressible)[]): TsVectorExpression {
  return new TsVectorExpressionImpl(call('to_tsvector', args)) as TsVectorExpression;
}

function tsquery(name: string) {
  function make(query: string | Expressible): Expression<TsQuery>;
  function make(config: string, query: string | Expressible): Expression<TsQuery>;
  function make(...args: (string | Expressible)[]): Expression<TsQuery> {
    return new Expression<TsQuery>(call(name, args));
  }
  return make;
}

/** `plainto_tsquery([config,] text)`: the words, ANDed. @example plainToTsquery('english', 'fat cats') // plainto_tsquery($1::regconfig, $2::text) */
export const plainToTsquery = tsquery('plainto_tsquery');
/** `websearch_to_tsquery([config,] text)`: web search syntax (`"a phrase"`, `or`, `-not`). @example websearchToTsquery('"fat cat" -dog') */
export const websearchToTsquery = tsquery('websearch_to_tsquery');
/** `to_tsquery([config,] text)`: tsquery syntax (`fat & (cat | dog)`). @example toTsquery('fat & !dog') */
export const toTsquery = tsquery('to_tsquery');
/** `phraseto_tsquery([config,] text)`: the words as a phrase. */
export const phraseToTsquery = tsquery('phraseto_tsquery');
