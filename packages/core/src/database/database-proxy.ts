import type { AnyModelClass } from '../model/types.js';
import { Database } from './database.js';
import type { Driver } from './driver.js';
import type { DatabaseEvents } from './events.js';

interface Subscription {
  readonly name: keyof DatabaseEvents;
  readonly listener: (event: never) => void;
  detach: (() => void) | undefined;
}

/**
 * A stand-in for a database chosen at run time (peewee's `DatabaseProxy`):
 * bind models to it at import time, `initialize(db)` it once configuration
 * is known. Every database method is forwarded to the database it was
 * initialized with; before that, evaluation rejects with an error that says
 * to initialize it. Listeners added with `on()` before initialization are
 * attached when it happens (and move if it is initialized again).
 *
 * @example
 * export const db = new DatabaseProxy();
 * const User = model('users', { id: AutoField() }, { database: db });
 * // at start-up:
 * db.initialize(await connect(process.env.DATABASE_URL!));
 * await User.select(); // SELECT "users"."id" FROM "users"
 */
export class DatabaseProxy extends Database {
  #target: Database | undefined;
  readonly #subscriptions: Subscription[] = [];

  constructor() {
    super(UNINITIALIZED);
  }

  /** Points the proxy at `database`; may be called again to switch (e.g. in tests). */
  initialize(database: Database): void {
    if ((database as unknown) === this) throw new TypeError('DatabaseProxy.initialize(): a proxy cannot be initialized with itself');
    for (const subscription of this.#subscriptions) {
      subscription.detach?.();
      subscription.detach = database.on(subscription.name, subscription.listener as (event: unknown) => void);
    }
    this.#target = database;
  }

  /** True once `initialize()` was called. */
  get isInitialized(): boolean {
    return this.#target !== undefined;
  }

  /** The database calls are forwarded to; throws when the proxy is not initialized yet. */
  get target(): Database {
    if (!this.#target) throw uninitialized();
    return this.#target;
  }

  override on<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): () => void {
    const subscription: Subscription = { name, listener: listener as (event: never) => void, detach: this.#target?.on(name, listener) };
    this.#subscriptions.push(subscription);
    return () => this.off(name, listener);
  }

  override off<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): void {
    const index = this.#subscriptions.findIndex((s) => s.name === name && s.listener === listener);
    if (index < 0) return;
    this.#subscriptions[index]?.detach?.();
    this.#subscriptions.splice(index, 1);
  }

  /** Binds the models to the proxy itself, so they follow whatever it is initialized with. */
  override bind(models: readonly AnyModelClass[]): void {
    super.bind(models);
  }
}

// Unreachable but for `supportsConcurrentConnections` before initialization: every method that would use it is forwarded to the target.
const UNINITIALIZED: Driver = {
  acquire: () => Promise.reject(uninitialized()),
  release: () => undefined,
  sendBlocking: () => {
    throw uninitialized();
  },
  shutdown: () => Promise.resolve(),
  supportsConcurrentConnections: false,
};

function uninitialized(): Error {
  return new Error(
    'this DatabaseProxy is not initialized: call proxy.initialize(db) with a real database (e.g. new PostgresqlDatabase(url), or await connect(url)) before running queries',
  );
}

/** Installs a forwarder on the proxy for every method and getter of `Database` the proxy does not define itself. */
function forwardDatabaseMethods(): void {
  const proxyPrototype = DatabaseProxy.prototype as unknown as Record<string, unknown>;
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(Database.prototype))) {
    if (Object.hasOwn(proxyPrototype, key)) continue;
    const targetOf = (proxy: DatabaseProxy) => (proxy.isInitialized ? (proxy.target as unknown as Record<string, unknown>) : undefined);
    if (descriptor.get) {
      const ownGetter = descriptor.get;
      Object.defineProperty(proxyPrototype, key, {
        configurable: true,
        // Before initialization the base getter answers for the proxy itself (not closed, not in a transaction).
        get(this: DatabaseProxy) {
          const target = targetOf(this);
          return target ? target[key] : ownGetter.call(this);
        },
      });
      continue;
    }
    if (typeof descriptor.value !== 'function') continue;
    const ownMethod = descriptor.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proxyPrototype, key, {
      configurable: true,
      writable: true,
      value(this: DatabaseProxy, ...args: unknown[]) {
        const target = targetOf(this);
        if (target) return Reflect.apply(target[key] as (...a: unknown[]) => unknown, target, args);
        if (key === 'allowBlocking') return ownMethod.apply(this, args);
        if (key === 'close') return Promise.resolve();
        if (key.endsWith('Sync')) throw uninitialized();
        return Promise.reject(uninitialized());
      },
    });
  }
}
forwardDatabaseMethods();
