import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A server binary or OS account a test helper needs is not on this machine. */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
}

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

const POSTGRES_HINT =
  'Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to use a running server, ' +
  'or install PostgreSQL 15 (apt-get install postgresql-15; on macOS brew install postgresql@15).';

const NATS_HINT =
  'Set NATS_URL=nats://127.0.0.1:4222 to use a running server (started with -js), ' +
  'or install nats-server (apt-get install nats-server, or a release from https://github.com/nats-io/nats-server/releases).';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
}

/** Debian/Ubuntu keep server binaries out of PATH, under /usr/lib/postgresql/<major>/bin. */
function debianPostgresBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => join('/usr/lib/postgresql', major, 'bin'));
  } catch {
    return [];
  }
}

/**
 * Finds `initdb` and `postgres`. With `binDir` only that directory is searched (so a test can point
 * it at a path that does not exist); otherwise `PG_BIN_DIR`, the Debian layout, then PATH.
 */
export function findPostgresBinaries(options: { binDir?: string } = {}): PostgresBinaries {
  const candidates = options.binDir
    ? [options.binDir]
    : [process.env.PG_BIN_DIR, ...debianPostgresBinDirs(), ...pathDirs()].filter((dir): dir is string => typeof dir === 'string' && dir.length > 0);
  for (const dir of candidates) {
    const initdb = join(dir, 'initdb');
    const postgres = join(dir, 'postgres');
    if (isExecutable(initdb) && isExecutable(postgres)) return { initdb, postgres };
  }
  throw new MissingDependencyError(
    `PostgreSQL server binaries (initdb, postgres) not found in ${candidates.join(', ') || '(no directories)'}. ${POSTGRES_HINT}`,
  );
}

/**
 * Finds `nats-server`. With `binary` only that path is tried; otherwise `NATS_SERVER_BIN`, PATH and
 * /usr/sbin (where Debian puts it, outside a normal user's PATH).
 */
export function findNatsServer(options: { binary?: string } = {}): string {
  const candidates = options.binary
    ? [options.binary]
    : [process.env.NATS_SERVER_BIN, ...[...pathDirs(), '/usr/sbin', '/usr/local/bin'].map((dir) => join(dir, 'nats-server'))].filter(
        (file): file is string => typeof file === 'string' && file.length > 0,
      );
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new MissingDependencyError(`nats-server not found (tried ${candidates.join(', ')}). ${NATS_HINT}`);
}
