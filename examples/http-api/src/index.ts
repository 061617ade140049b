export { createSchema, type Models, modelsFor } from './models.js';
export { createServer } from './server.js';
export { type Running, start } from './start.js';
export { developmentWarnMode } from './warn.js';
