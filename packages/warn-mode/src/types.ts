/** Where a blocking evaluation was written: the first stack frame outside pewit. */
export interface CallSite {
  /** Absolute path of the file (source-mapped when Node or the test runner maps stacks). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `file:line:column`, clickable in editors and terminals. */
  readonly location: string;
}

/** One blocking evaluation, as logged or carried by `BlockingEvaluationError`. */
export interface BlockingReport {
  /** What evaluated, in words: `lazy foreign key Tweet.user`, `for…of over SelectQuery<Tweet>`, `countSync() on SelectQuery<Tweet>`. */
  readonly kind: string;
  /** Core's description parts, for tooling that wants its own wording. */
  readonly trigger: string;
  readonly target: string;
  /** The async call to write instead, e.g. `await tweet.load('user')`. */
  readonly alternative: string | undefined;
  /** The first statement's SQL, with `$n` placeholders. */
  readonly sql: string;
  /** Its parameters, shortened: long strings, byte arrays and long arrays are abbreviated. */
  readonly params: readonly unknown[];
  /** How long the event loop was blocked; absent when the evaluation was refused (throw mode). */
  readonly durationMs?: number | undefined;
  /** The user's call site; absent when every frame belongs to pewit or Node. */
  readonly callSite: CallSite | undefined;
  /** Set when the evaluation itself failed (it still blocked). */
  readonly error?: unknown;
}

/** What `report()` returns for one call site and query shape. */
export interface CallSiteSummary {
  /** `file:line:column`, or `<unknown>` when no frame outside pewit was found. */
  readonly location: string;
  readonly callSite: CallSite | undefined;
  readonly kind: string;
  /** Core's trigger, e.g. `lazy foreign key`, `for…of`, `countSync`. */
  readonly trigger: string;
  readonly alternative: string | undefined;
  /** Blocking evaluations from this call site with this SQL since enabling (or the last `reset()`). */
  readonly count: number;
  /** Sum of their blocking times, in milliseconds. */
  readonly totalMs: number;
  /** True once repeats within the window reached `nPlusOneThreshold`. */
  readonly nPlusOne: boolean;
  /** The most repeats seen within one window. */
  readonly maxRepeats: number;
  readonly exampleSql: string;
  readonly exampleParams: readonly unknown[];
}

/** Anything with `warn(message)`, such as `console` or a pino/winston logger. */
export interface WarnModeLogger {
  warn(message: string): void;
}

export interface WarnModeOptions {
  /** `warn` (default) logs and lets the evaluation run; `throw` refuses it with `BlockingEvaluationError` before any SQL is sent. */
  readonly mode?: 'warn' | 'throw';
  /** Where reports go; `console` by default. */
  readonly logger?: WarnModeLogger;
  /** Call sites to leave alone: a string matches anywhere in the file path, a RegExp is tested against it (e.g. `/migrations\//`). */
  readonly ignore?: readonly (string | RegExp)[];
  /** Repeats of one call site and SQL within the window that make an N+1 pattern; 3 by default. */
  readonly nPlusOneThreshold?: number;
  /** Longest pause between two repeats that still counts as the same burst, in milliseconds; 1000 by default. */
  readonly windowMs?: number;
  /**
   * How reports show parameter values: `'truncated'` (each cut short) or `'hidden'` (only their count). Defaults
   * to core's `setParamsInMessages()` setting, itself `'truncated'`.
   * @example enableWarnMode(db, { params: 'hidden' }) // params: [<2 parameters hidden>]
   */
  readonly params?: 'truncated' | 'hidden';
}

/** The handle `enableWarnMode` returns. */
export interface WarnMode {
  /** Per call site and SQL: kind, count, total blocked time, example SQL; most frequent first. */
  report(): CallSiteSummary[];
  /** Forgets everything counted so far (reports will be logged again). */
  reset(): void;
  /** Stops listening; blocking evaluations are no longer reported or refused. Safe to call twice. */
  disable(): void;
}
