import { createRequire } from 'node:module';

// The tracer is named and versioned after this package (the instrumentation scope backends show); read from the
// manifest so a release bump cannot leave a stale copy behind. `../package.json` is the same file from src/ and dist/.
const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** `@pewit/opentelemetry`. */
export const PACKAGE_NAME: string = manifest.name;
/** This package's version, e.g. `0.2.0`. */
export const PACKAGE_VERSION: string = manifest.version;
