import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { OperationalError, type RawResult, type Statement } from '@pewit/core';
import type pg from 'pg';
import { type BlockingResponse, deserializeError, SIGNAL_WAITING } from './blocking-protocol.js';

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

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly timeoutMillis: number,
  ) {}

  get isOpen(): boolean {
    return this.#channel !== undefined;
  }

  #open(): Channel {
    if (this.#channel) return this.#channel;
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./blocking-worker.js', import.meta.url), {
      workerData: { port: port2, signal, config: this.config },
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
    const channel = this.#open();
    const id = this.#nextId++;
    Atomics.store(channel.signal, 0, SIGNAL_WAITING);
    channel.port.postMessage({ id, text: statement.text, values: statement.values });
    const outcome = Atomics.wait(channel.signal, 0, SIGNAL_WAITING, this.timeoutMillis);
    const message = receiveMessageOnPort(channel.port)?.message as BlockingResponse | undefined;
    if (!message || message.id !== id) {
      this.#discard();
      const why = outcome === 'timed-out' ? `did not answer within ${this.timeoutMillis} ms` : 'stopped without answering';
      throw new OperationalError(
        `the blocking connection ${why}; its worker was stopped and the next blocking call starts a fresh one. ` +
          'Raise blockingTimeoutMillis for long statements, or use the async form.',
        { sql: statement.text },
      );
    }
    if ('error' in message) throw deserializeError(message.error);
    return message.result;
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
