import type { Condition } from '../expressions/expression.js';
import { type MatchOptions, type MatchQuery, matchNode, type TextSearchOperators, type TsVector } from '../expressions/text-search.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type RequiredOnInsert } from './field.js';

class TSVectorFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'tsvector';
  protected convert(v: unknown): string {
    if (typeof v !== 'string' || v.includes('\u0000'))
      throw new ConversionFailure("expected a tsvector as text (e.g. \"'cat':2 'fat':1\"), or write toTsvector(…)");
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
  match(query: MatchQuery, options?: MatchOptions): Condition {
    return matchNode(this, query, options);
  }
}

/** A `tsvector` column: a field with `match()`. */
export type TSVectorColumn<T, R extends boolean> = Field<T, T | string, R> & TextSearchOperators;

/**
 * `tsvector`, read as its text form (`'cat':2 'fat':1`). Write a document's
 * vector with `toTsvector('english', text)`, or make it a generated column.
 * @example search: TSVectorField() // "search" tsvector NOT NULL; Doc.search.match('fat cats') // "docs"."search" @@ plainto_tsquery($1::text)
 */
export function TSVectorField<const O extends FieldOptions<TsVector> = {}>(options?: O): TSVectorColumn<Nullable<O, TsVector>, RequiredOnInsert<O>> {
  return new TSVectorFieldImpl(options ?? {}) as never;
}
