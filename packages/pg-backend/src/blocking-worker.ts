import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { type BlockingRequest, type BlockingResponse, SIGNAL_READY, serializeError } from './blocking-protocol.js';
import { runQuery } from './raw-query.js';

/**
 * The blocking connection's thread: it owns one pg.Client and answers one
 * statement at a time while the main thread waits on the shared signal.
 */
const { port, signal, config } = workerData as { port: MessagePort; signal: Int32Array; config: pg.ClientConfig };

let client: pg.Client | undefined;

async function connected(): Promise<pg.Client> {
  if (client) return client;
  const fresh = new pg.Client(config);
  // A connection killed while idle must not crash the worker; the next statement reconnects.
  fresh.on('error', () => {
    if (client === fresh) client = undefined;
  });
  await fresh.connect();
  client = fresh;
  return fresh;
}

function answer(response: BlockingResponse): void {
  port.postMessage(response);
  Atomics.store(signal, 0, SIGNAL_READY);
  Atomics.notify(signal, 0);
}

port.on('message', async (request: BlockingRequest | 'close') => {
  if (request === 'close') {
    await client?.end().catch(() => undefined);
    client = undefined;
    port.close();
    return;
  }
  try {
    const c = await connected();
    answer({ id: request.id, result: await runQuery(c, request) });
  } catch (error) {
    const dead = client && !(client as unknown as { _queryable: boolean })._queryable;
    if (dead) {
      client?.end().catch(() => undefined);
      client = undefined;
    }
    answer({ id: request.id, error: serializeError(error) });
  }
});
