import { checkFrameBound, checkFunctionName, FRAME_EXCLUSIONS, FRAME_TYPES, oneOf } from './keywords.js';
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
  /** `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS`. */
  readonly exclude?: 'CURRENT ROW' | 'GROUP' | 'TIES' | 'NO OTHERS' | undefined;
}

/** `(PARTITION BY … ORDER BY … frame)`. */
export interface WindowNode {
  readonly kind: 'window';
  readonly partitionBy: readonly Node[];
  readonly orderBy: readonly OrderByNode[];
  readonly frame?: FrameSpec | undefined;
}

/**
 * A function call; the name must be a plain SQL name (written unquoted, so `count` is the built-in).
 * @example fn('lower', [column('name')]) // lower("name")
 */
export function fn(name: string, args: readonly Node[], options: Partial<Pick<FunctionNode, 'distinct' | 'filter' | 'over'>> = {}): FunctionNode {
  return freeze({ kind: 'function', name: checkFunctionName('fn', name), args: Object.freeze([...args]), ...options });
}

/** Checks every part of a frame against its closed list; the compiler calls it again for frames written as literals. */
export function checkFrame(frame: FrameSpec): FrameSpec {
  if (typeof frame !== 'object' || frame === null) throw new TypeError('window frame: expected { type, start, end?, exclude? }');
  oneOf('window frame type', frame.type, FRAME_TYPES);
  checkFrameBound('window frame start', frame.start);
  if (frame.end !== undefined) checkFrameBound('window frame end', frame.end);
  if (frame.exclude !== undefined) oneOf('window frame exclude', frame.exclude, FRAME_EXCLUSIONS);
  return frame;
}

/**
 * `(PARTITION BY … ORDER BY … frame)`; every frame part is checked against its list.
 * @example windowSpec([column('g')], [], { type: 'ROWS', start: 'UNBOUNDED PRECEDING' }) // (PARTITION BY "g" ROWS UNBOUNDED PRECEDING)
 */
export function windowSpec(partitionBy: readonly Node[], orderBy: readonly OrderByNode[], frame?: FrameSpec): WindowNode {
  const checked = frame === undefined ? undefined : Object.freeze({ ...checkFrame(frame) });
  return freeze({ kind: 'window', partitionBy: Object.freeze([...partitionBy]), orderBy: Object.freeze([...orderBy]), frame: checked });
}
