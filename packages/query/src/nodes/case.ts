import { freeze, type Node } from './node.js';

/** `CASE [subject] WHEN … THEN … [ELSE …] END`. */
export interface CaseNode {
  readonly kind: 'case';
  readonly subject?: Node | undefined;
  readonly whens: readonly (readonly [Node, Node])[];
  readonly else?: Node | undefined;
}

export function caseWhen(whens: readonly (readonly [Node, Node])[], elseNode?: Node, subject?: Node): CaseNode {
  return freeze({ kind: 'case', subject, whens: Object.freeze([...whens]), else: elseNode });
}
