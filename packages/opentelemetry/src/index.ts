export { type InstrumentOptions, instrument, type StopInstrumenting } from './instrument.js';
export { type StatementSummary, summarizeStatement } from './statement-summary.js';
