import { performance } from 'node:perf_hooks';
import { BlockingEvaluationError, type Database, type EvaluationEvent, paramsInMessages } from '@pewit/core';
import { captureCallSite } from './call-site.js';
import { CallSiteStats } from './call-site-stats.js';
import { formatNPlusOne, formatRefusal, formatReport } from './format-report.js';
import { kindOf } from './kind.js';
import { pewitFolders } from './pewit-paths.js';
import { Abbreviated, shortenParams } from './shorten-params.js';
import type { BlockingReport, CallSite, WarnMode, WarnModeOptions } from './types.js';

/**
 * Reports every blocking evaluation on `db` from now on (outside
 * `db.allowBlocking()`), with the user's call site, the SQL, the time it
 * blocked and the async call to write instead; repeats from one line with the
 * same SQL are reported once as an N+1 pattern. Meant for development: when
 * it is not enabled, core does not even build the event.
 *
 * @example
 * const warn = enableWarnMode(db, { mode: 'warn', logger: console });
 * for (const tweet of await Tweet.select()) tweet.user.username;
 * // [pewit warn mode] blocking evaluation: lazy foreign key Tweet.user blocked the event loop for 0.41 ms
 * //     at /app/src/feed.ts:12:52
 * //     SQL: SELECT "users"."id", … FROM "users" WHERE ("users"."id" = $1) LIMIT $2
 * //     params: [1, 1]
 * //     instead: await tweet.load('user')
 * warn.report(); // [{ location: '/app/src/feed.ts:12:52', kind: 'lazy foreign key Tweet.user', count: 5, nPlusOne: true, … }]
 */
export function enableWarnMode(db: Database, options: WarnModeOptions = {}): WarnMode {
  const mode = options.mode ?? 'warn';
  if (mode !== 'warn' && mode !== 'throw') throw new TypeError(`enableWarnMode: mode must be 'warn' or 'throw', received ${JSON.stringify(mode)}`);
  const logger = options.logger ?? console;
  const threshold = options.nPlusOneThreshold ?? 3;
  if (!Number.isInteger(threshold) || threshold < 2)
    throw new TypeError(`enableWarnMode: nPlusOneThreshold must be an integer of at least 2 (repeats that make an N+1 pattern), received ${threshold}`);
  const windowMs = options.windowMs ?? 1000;
  if (!(windowMs >= 0)) throw new TypeError(`enableWarnMode: windowMs must be a number of milliseconds >= 0, received ${windowMs}`);
  const ignore = options.ignore ?? [];
  const folders = pewitFolders();
  const stats = new CallSiteStats(threshold, windowMs);

  const isIgnored = (site: CallSite | undefined): boolean => {
    if (!site || ignore.length === 0) return false;
    const path = site.file.replaceAll('\\', '/');
    return ignore.some((pattern) => (typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path)));
  };

  const listener = (event: EvaluationEvent): void => {
    // Async evaluations are the goal, not a problem: return before any work.
    if (event.path !== 'blocking' || event.blockingAllowed) return;
    const callSite = captureCallSite(folders);
    if (isIgnored(callSite)) return;
    const report: BlockingReport = {
      kind: kindOf(event.what),
      trigger: event.what.trigger,
      target: event.what.target,
      alternative: event.what.alternative,
      sql: event.sql,
      params: (options.params ?? paramsInMessages()) === 'hidden' ? hiddenParams(event.params) : shortenParams(event.params),
      callSite,
    };
    const recorded = stats.record(report, performance.now());
    if (mode === 'throw') throw new BlockingEvaluationError(formatRefusal(report), report);
    event.onDone((durationMs, error) => {
      recorded.done(durationMs, performance.now());
      if (recorded.firstInBurst) logger.warn(formatReport({ ...report, durationMs, ...(error === undefined ? {} : { error }) }));
      if (recorded.reachedThreshold) {
        const { repeats, blockedMs } = recorded.burst();
        logger.warn(formatNPlusOne(recorded.summary(), repeats, blockedMs));
      }
    });
  };

  let unsubscribe: (() => void) | undefined = db.on('evaluation', listener);
  return {
    report: () => stats.summaries(),
    reset: () => stats.clear(),
    disable: () => {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

/** A stand-in for values a report must not show: only their count. */
function hiddenParams(params: readonly unknown[]): unknown[] {
  return params.length === 0 ? [] : [new Abbreviated(`<${params.length} parameter${params.length === 1 ? '' : 's'} hidden>`)];
}
