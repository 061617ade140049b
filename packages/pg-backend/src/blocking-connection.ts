import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { OperationalError, type RawResult, type Statement } from '@pewit/core';
import type pg from 'pg';
import { type BlockingResponse, deserializeError, SIGNAL_DEAD, SIGNAL_WAITING, spinWhile } from './blocking-protocol.js';
import { unpackRows } from './blocking-rows.js';
import type { StatementCachePlan } from './statement-cache.js';

/** How long after the server should have cancelled a statement the main thread still waits for the worker. */
const GRACE_MILLIS = 1_000;
/** Extra wait for a freshly started worker thread. */
const STARTUP_MILLIS = 2_000;

interface Channel {
  readonly worker: Worker;
  readonly port: import('node:worker_threads').MessagePort;
  readonly signal: Int32Array;
}

/**
 * The blocking connection: a worker thread with its own pg connection. The
 * main thread posts a statement and sleeps in `Atomics.wait` until the worker
 * flips the shared signal, then reads the answer with `receiveMessageOnPort`.
 * Opened on first use; never keeps the process alive on its own.
 */
export class BlockingConnection {
  #channel: Channel | undefined;
  #nextId = 1;

  readonly #config: pg.ClientConfig;
  /** How long the main thread waits: the server cancels at `timeoutMillis`, this is the backstop for a worker that never answers. */
  readonly #deadlineMillis: number;

  readonly #timeoutMillis: number;
  readonly #statementCache: StatementCachePlan;
  /** How long `query` busy-waits for the answer before it sleeps; the worker waits a quarter of it for the next statement. */
  readonly #spinMillis: number;
  readonly #workerUrl: URL;

  /**
   * @param config pg client options (plain data: they are copied to the worker thread).
   * @param options.timeoutMillis statement timeout: sent to the server as `statement_timeout` (unless the config
   *   sets one), and, plus a grace period, how long the main thread waits before it gives up on the worker.
   * @param options.statementCache named prepared statements the worker's connection keeps (0: none); with
   *   `unlessPooled`, none when the connection turns out to go through a pooler.
   * @param options.spinMicros how long each call busy-waits for its answer before sleeping (`blockingSpinMicros`).
   * @param options.workerUrl the worker script; tests pass one that can be made to crash.
   */
  constructor(config: pg.ClientConfig, options: { timeoutMillis: number; statementCache?: number | StatementCachePlan; spinMicros?: number; workerUrl?: URL }) {
    this.#timeoutMillis = options.timeoutMillis;
    this.#statementCache = plan(options.statementCache ?? 0);
    this.#spinMillis = (options.spinMicros ?? 0) / 1_000;
    this.#workerUrl = options.workerUrl ?? new URL('./blocking-worker.js', import.meta.url);
    this.#config = { ...config, statement_timeout: config.statement_timeout ?? this.#timeoutMillis };
    this.#deadlineMillis = this.#timeoutMillis + GRACE_MILLIS;
  }

  get isOpen(): boolean {
    return this.#channel !== undefined;
  }

  #open(): Channel {
    if (this.#channel) return this.#channel;
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.#workerUrl, {
      workerData: { port: port2, signal, config: this.#config, statementCache: this.#statementCache, spinMillis: this.#spinMillis / 4 },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    worker.on('error', () => this.#discard());
    worker.on('exit', () => this.#discard());
    this.#channel = { worker, port: port1, signal };
    return this.#channel;
  }

  #discard(): void {
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel) {
      channel.port.close();
      void channel.worker.terminate();
    }
  }

  /** Sends one statement and blocks until the worker answers or the timeout passes. */
  query(statement: Statement): RawResult {
    // A worker that died between calls cannot have been noticed yet when no event loop turn ran since (plain sync code).
    if (this.#channel && Atomics.load(this.#channel.signal, 0) === SIGNAL_DEAD) this.#discard();
    const starting = this.#channel === undefined;
    const channel = this.#open();
    // The first statement also waits for the thread to start and load pg, which is slow on a busy machine.
    const deadline = this.#deadlineMillis + (starting ? STARTUP_MILLIS : 0);
    const id = this.#nextId++;
    Atomics.store(channel.signal, 0, SIGNAL_WAITING);
    channel.port.postMessage({ id, text: statement.text, values: statement.values });
    // An answer within the spin wakes no thread: waking a sleeping one costs tens of microseconds.
    spinWhile(channel.signal, SIGNAL_WAITING, this.#spinMillis);
    const outcome = Atomics.wait(channel.signal, 0, SIGNAL_WAITING, deadline);
    const message = receiveMessageOnPort(channel.port)?.message as BlockingResponse | undefined;
    if (!message || message.id !== id) {
      this.#discard();
      const why =
        outcome === 'timed-out'
          ? `its worker did not answer within ${deadline} ms (blockingTimeoutMillis ${this.#timeoutMillis} plus grace${starting ? ' and start-up' : ''})`
          : Atomics.load(channel.signal, 0) === SIGNAL_DEAD
            ? 'its worker thread exited'
            : 'its worker stopped without answering';
      throw new OperationalError(
        `the blocking connection failed: ${why}. The worker was stopped and the next blocking call starts a fresh one; ` +
          'raise blockingTimeoutMillis for long statements, or use the async form.',
        { sql: statement.text },
      );
    }
    if ('error' in message) throw deserializeError(message.error);
    const { command, rowCount, fields, rows } = message.result;
    return { command, rowCount, fields, rows: unpackRows(rows) };
  }

  /** Closes the worker's connection and stops the thread. */
  async close(): Promise<void> {
    const channel = this.#channel;
    if (!channel) return;
    this.#channel = undefined;
    // The worker ends its pg connection, closes its port and exits; terminate only if it does not.
    const exited = new Promise<void>((resolve) => channel.worker.once('exit', () => resolve()));
    channel.port.postMessage('close');
    const timer = setTimeout(() => void channel.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
    channel.port.close();
  }
}

function plan(cache: number | StatementCachePlan): StatementCachePlan {
  return typeof cache === 'number' ? { size: cache, unlessPooled: false } : cache;
}
