import type { BlockingReport, CallSiteSummary } from './types.js';

/** Running totals for one call site and SQL text. */
interface Entry {
  summary: Mutable<CallSiteSummary>;
  /** Repeats in the current burst. */
  burst: number;
  /** Blocked time of the current burst. */
  burstMs: number;
  /** When the last repeat started or ended (performance.now()). */
  lastAt: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What one recorded evaluation means for logging. */
export interface Recorded {
  /** The first of a burst: log it as a single report. */
  readonly firstInBurst: boolean;
  /** This repeat reached the N+1 threshold: log the pattern once. */
  readonly reachedThreshold: boolean;
  /** Adds the blocked time once the evaluation finished. */
  done(durationMs: number, now: number): void;
  /** The summary as of now, for the N+1 message. */
  summary(): CallSiteSummary;
  /** Repeats and blocked time of the current burst. */
  burst(): { repeats: number; blockedMs: number };
}

/**
 * Counts blocking evaluations per call site and query shape (SQL text; the
 * values are separate parameters, so the text is the shape). Repeats closer
 * than `windowMs` to the previous one form a burst; a burst reaching
 * `threshold` is an N+1 pattern.
 */
export class CallSiteStats {
  #entries = new Map<string, Entry>();

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
  ) {}

  record(report: BlockingReport, now: number): Recorded {
    const location = report.callSite?.location ?? '<unknown>';
    const key = `${location}\n${report.sql}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = {
        summary: {
          location,
          callSite: report.callSite,
          kind: report.kind,
          trigger: report.trigger,
          alternative: report.alternative,
          count: 0,
          totalMs: 0,
          nPlusOne: false,
          maxRepeats: 0,
          exampleSql: report.sql,
          exampleParams: report.params,
        },
        burst: 0,
        burstMs: 0,
        lastAt: now,
      };
      this.#entries.set(key, entry);
    }
    const current = entry;
    const firstInBurst = current.burst === 0 || now - current.lastAt > this.windowMs;
    if (firstInBurst) {
      current.burst = 0;
      current.burstMs = 0;
    }
    current.burst++;
    current.lastAt = now;
    current.summary.count++;
    current.summary.maxRepeats = Math.max(current.summary.maxRepeats, current.burst);
    const reachedThreshold = current.burst === this.threshold;
    if (reachedThreshold) current.summary.nPlusOne = true;
    return {
      firstInBurst,
      reachedThreshold,
      done: (durationMs, at) => {
        current.summary.totalMs += durationMs;
        current.burstMs += durationMs;
        current.lastAt = Math.max(current.lastAt, at);
      },
      summary: () => ({ ...current.summary }),
      burst: () => ({ repeats: current.burst, blockedMs: current.burstMs }),
    };
  }

  /** Every call site and SQL seen, most frequent first. */
  summaries(): CallSiteSummary[] {
    return [...this.#entries.values()].map((e) => ({ ...e.summary })).sort((a, b) => b.count - a.count || b.totalMs - a.totalMs);
  }

  clear(): void {
    this.#entries.clear();
  }
}
