import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP relay in front of a PostgreSQL server that counts the round trips its clients make, and row descriptions. */
export interface RoundTripCounter {
  /** `url` with its host and port replaced by the relay's. */
  readonly url: string;
  /** ReadyForQuery messages the server has sent since the start or the last `reset()`: one per round trip. */
  readonly roundTrips: number;
  /** RowDescription messages the server has sent since then: one per Describe of a statement that returns rows. */
  readonly rowDescriptions: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a relay between pewit and the real server at `url` that reads the server's side of the protocol and
 * counts its ReadyForQuery messages ('Z'). The server sends exactly one per Sync or simple Query, so the count is
 * the number of times a client waited for the server: what a pipelined statement saves is visible here, on the
 * wire, and not in a timing.
 *
 * @example
 * const relay = await countRoundTrips(database.url());
 * const db = new PostgresqlDatabase(relay.url);
 * relay.reset();
 * await db.atomic(() => Post.update({ views: 1 }).where(Post.id.eq(1)));
 * relay.roundTrips; // 2: BEGIN with the UPDATE, then COMMIT
 */
export async function countRoundTrips(url: string): Promise<RoundTripCounter> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let count = 0;
  let described = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      // Messages are a type byte and a length (which counts itself, not the type byte), and may span chunks.
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (pending.length - at >= 5) {
        const size = 1 + pending.readUInt32BE(at + 1);
        if (pending.length - at < size) break;
        if (pending[at] === 0x5a) count++;
        else if (pending[at] === 0x54) described++;
        at += size;
      }
      pending = pending.subarray(at);
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as { port: number }).port);
  return {
    url: relayed.toString(),
    get roundTrips() {
      return count;
    },
    get rowDescriptions() {
      return described;
    },
    reset: () => {
      count = 0;
      described = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
