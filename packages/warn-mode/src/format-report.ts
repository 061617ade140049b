import { formatParams } from './shorten-params.js';
import type { BlockingReport, CallSiteSummary } from './types.js';

const PREFIX = '[pewit warn mode]';
const INDENT = '    ';

/** The log line of one blocking evaluation. */
export function formatReport(report: BlockingReport): string {
  const took = report.durationMs === undefined ? '' : ` for ${formatMs(report.durationMs)}`;
  const failed = report.error === undefined ? '' : ` and failed (${errorMessage(report.error)})`;
  return [`${PREFIX} blocking evaluation: ${report.kind} blocked the event loop${took}${failed}`, ...details(report)].join('\n');
}

/** The message of the `BlockingEvaluationError` thrown in throw mode. */
export function formatRefusal(report: BlockingReport): string {
  const instead = report.alternative ? `write \`${report.alternative}\` instead` : 'use the async form instead';
  return [
    `${report.kind} would block the event loop and warn mode is in throw mode: ${instead}, ` +
      'or wrap code that may block in db.allowBlocking(() => …). No SQL was sent.',
    ...details(report),
  ].join('\n');
}

/** The one log line of an N+1 pattern, written when its repeats reach the threshold. */
export function formatNPlusOne(summary: CallSiteSummary, repeats: number, blockedMs: number): string {
  return [
    `${PREFIX} N+1 pattern: ${summary.kind} ran ${repeats} times in a row from the same line with the same SQL ` +
      `(${formatMs(blockedMs)} blocked so far); further repeats are counted in warn.report(), not logged`,
    `${INDENT}at ${summary.location}`,
    `${INDENT}SQL: ${summary.exampleSql}`,
    `${INDENT}instead: ${batchAdvice(summary)}`,
  ].join('\n');
}

function details(report: BlockingReport): string[] {
  const lines = [`${INDENT}at ${report.callSite?.location ?? '<unknown: no frame outside pewit>'}`, `${INDENT}SQL: ${report.sql}`];
  if (report.params.length > 0) lines.push(`${INDENT}params: ${formatParams(report.params)}`);
  if (report.alternative) lines.push(`${INDENT}instead: ${report.alternative}`);
  return lines;
}

function batchAdvice(summary: CallSiteSummary): string {
  if (/foreign key|back-?ref/i.test(summary.trigger)) {
    const one = summary.alternative ? ` (\`${summary.alternative}\` alone still runs one query per row)` : '';
    return `fetch the related rows in one query: select the related model with .join(), or prefetch it${one}`;
  }
  return `run the query once, outside the loop, or fetch all the rows in one query (e.g. .where(X.id.in(ids)))${
    summary.alternative ? `; the async form is \`${summary.alternative}\`` : ''
  }`;
}

function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
}
