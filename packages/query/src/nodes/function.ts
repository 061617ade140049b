import { freeze, type Node } from './node.js';
import type { OrderByNode } from './order-by.js';

/** `name(args)` with optional `DISTINCT`, `FILTER (WHERE …)` and `OVER (…)`. */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Node[];
  readonly distinct?: boolean | undefined;
  readonly filter?: Node | undefined;
  readonly over?: WindowNode | undefined;
}

/** A window frame, e.g. `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`. */
export interface FrameSpec {
  readonly type: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: string;
  readonly end?: string | undefined;
}

/** `(PARTITION BY … ORDER BY … frame)`. */
export interface WindowNode {
  readonly kind: 'window';
  readonly partitionBy: readonly Node[];
  readonly orderBy: readonly OrderByNode[];
  readonly frame?: FrameSpec | undefined;
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const FRAME_BOUND = /^(UNBOUNDED PRECEDING|UNBOUNDED FOLLOWING|CURRENT ROW|\d+ PRECEDING|\d+ FOLLOWING)$/;

export function fn(name: string, args: readonly Node[], options: Partial<Pick<FunctionNode, 'distinct' | 'filter' | 'over'>> = {}): FunctionNode {
  if (!FUNCTION_NAME.test(name)) throw new TypeError(`fn: "${name}" is not a valid SQL function name`);
  return freeze({ kind: 'function', name, args: Object.freeze([...args]), ...options });
}

export function windowSpec(partitionBy: readonly Node[], orderBy: readonly OrderByNode[], frame?: FrameSpec): WindowNode {
  if (frame) {
    for (const bound of [frame.start, frame.end]) {
      if (bound !== undefined && !FRAME_BOUND.test(bound)) {
        throw new TypeError(`window frame bound "${bound}" is not one of UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW, N PRECEDING|FOLLOWING`);
      }
    }
  }
  return freeze({ kind: 'window', partitionBy: Object.freeze([...partitionBy]), orderBy: Object.freeze([...orderBy]), frame });
}
