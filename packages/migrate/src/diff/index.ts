export { diffSchemas } from './diff-schemas.js';
export { type RenameCandidate, renameCandidates } from './rename-candidates.js';
export type { SchemaChange, SchemaChangeKind } from './schema-change.js';
