export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/** Options of `db.atomic()`. */
export interface AtomicOptions {
  readonly isolationLevel?: IsolationLevel | undefined;
  readonly readOnly?: boolean | undefined;
  /** Re-run the whole function this many times on `SerializationError`. */
  readonly retries?: number | undefined;
}

const LEVELS: Record<IsolationLevel, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

/** The BEGIN statement for the options; the level is looked up, never interpolated from input. */
export function beginStatement(options: AtomicOptions): string {
  let text = 'BEGIN';
  if (options.isolationLevel) {
    const level = LEVELS[options.isolationLevel];
    if (!level) throw new TypeError(`unknown isolation level "${options.isolationLevel}"; use one of ${Object.keys(LEVELS).join(', ')}`);
    text += ` ISOLATION LEVEL ${level}`;
  }
  if (options.readOnly) text += ' READ ONLY';
  return text;
}
