export { recordQueries } from './query-log.js';
export { type NodeRun, runNode } from './run-node.js';
export { adminQuery, createTestDatabase, useTestDatabase, withDatabase } from './test-database.js';
