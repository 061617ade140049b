import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { type Database, ForeignKeyViolationError, UniqueViolationError, ValidationError } from '@pewit/core';
import { HttpError, sendJson } from './http.js';
import { type Models, modelsFor } from './models.js';
import { createTweet, createUser, listUsers, type Reply, userTweets } from './routes.js';

async function route(models: Models, request: IncomingMessage): Promise<Reply> {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (method === 'GET' && pathname === '/users') return listUsers(models);
  if (method === 'POST' && pathname === '/users') return createUser(models, request);
  const tweetsOf = /^\/users\/(\d+)\/tweets$/.exec(pathname);
  if (method === 'GET' && tweetsOf) return userTweets(models, Number(tweetsOf[1]));
  if (method === 'POST' && pathname === '/tweets') return createTweet(models, request);
  throw new HttpError(404, `no route for ${method} ${pathname}`);
}

/** Maps pewit's error classes to HTTP statuses; anything unexpected is a 500 whose details stay in the log. */
function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
  if (error instanceof ValidationError) return { status: 400, body: { error: error.message, field: error.field } };
  if (error instanceof UniqueViolationError) return { status: 409, body: { error: `already exists (${error.constraint ?? 'unique constraint'})` } };
  if (error instanceof ForeignKeyViolationError) return { status: 422, body: { error: 'the referenced user does not exist' } };
  console.error(error);
  return { status: 500, body: { error: 'internal error' } };
}

/**
 * The HTTP service on `db` (not listening yet: call `.listen()`).
 *
 * @example
 * const server = createServer(new PooledPostgresqlDatabase(url)).listen(3000);
 * // GET /users → SELECT "users"."id", "users"."username" FROM "users" ORDER BY "users"."username" ASC
 */
export function createServer(db: Database): Server {
  const models = modelsFor(db);
  return createHttpServer((request, response) => {
    route(models, request)
      .catch(errorReply)
      .then((reply) => sendJson(response, reply.status, reply.body));
  });
}
