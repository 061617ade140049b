export { adminQuery, withDatabase } from './admin.js';
export { recordQueries } from './query-log.js';
export { countRoundTrips, type RoundTripCounter } from './round-trips.js';
export { type NodeRun, runNode } from './run-node.js';
export { createTestDatabase, useTestDatabase } from './test-database.js';
