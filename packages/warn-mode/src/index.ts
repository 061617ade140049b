export { enableWarnMode } from './enable-warn-mode.js';
export { Abbreviated, formatParams, shortenParams } from './shorten-params.js';
export type { BlockingReport, CallSite, CallSiteSummary, WarnMode, WarnModeLogger, WarnModeOptions } from './types.js';
