export { recordQueries } from './query-log.js';
export { adminQuery, createTestDatabase, useTestDatabase, withDatabase } from './test-database.js';
