/** Values the global set-up hands to every test file through vitest's `provide`/`inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the server the tests run against. */
    adminUrl: string;
    /** The PgBouncer binary the PgBouncer tests run, or `''` when the machine has none. */
    pgbouncerBinary: string;
  }
}

export {};
