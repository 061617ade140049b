import { enableWarnMode } from '@pewit/warn-mode';
import type { Tour } from '../context.js';
import { bold, green, result, say, yellow } from '../style.js';
import { showTweet, timeline, timelineFixed } from './handlers.js';

/** Warn mode reports blocking evaluations (here: lazy loads inside an async handler) with the line that caused them. */
export async function warnMode(tour: Tour): Promise<void> {
  const reports: string[] = [];
  const warn = enableWarnMode(tour.db, { logger: { warn: (message) => reports.push(message) } });
  try {
    say(`enableWarnMode(db), then call the async handler ${bold('timeline()')} from sections/handlers.ts:`);
    await timeline(tour);
    for (const report of reports) printReport(report);
    const [summary] = warn.report();
    if (summary) result(`warn.report(): ${summary.kind} ran ${summary.count} times from ${shorten(summary.location)}`);

    reports.length = 0;
    say(`the fix: ${bold('.prefetch(User)')} for the list, ${bold("await tweet.load('user')")} for one tweet:`);
    const lines = await timelineFixed(tour);
    const one = await showTweet(tour, 1);
    result(`timelineFixed() → ${lines.length} lines, first "${lines[0]}"; showTweet(1) → "${one}"`);
    if (reports.length === 0) result(green('warn mode reported nothing: no blocking evaluation left'));
    else for (const report of reports) printReport(report);
  } finally {
    warn.disable();
  }
}

/** Paths relative to where the tour runs, so the report fits the screen. */
function shorten(text: string): string {
  return text.split(`${process.cwd()}/`).join('');
}

function printReport(report: string): void {
  const [first = '', ...rest] = shorten(report).split('\n');
  console.log(`  ${yellow(first)}`);
  for (const line of rest) console.log(`  ${line}`);
}
