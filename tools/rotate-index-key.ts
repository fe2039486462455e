/**
 * `npm run rotate-index-key -- --service cases`: re-keys a service's blind indexes (the keyed
 * hashes of names and citizen IDs in `person_search_keys`) from the old `PERSONAL_ID_INDEX_KEY` to
 * a new one, and drops the rows of erased persons. Run it with the service stopped; then start the
 * service with the new key and destroy the old one (apps/cases/src/README.md, "Rotating
 * PERSONAL_ID_INDEX_KEY"). Prints a JSON report on stdout. Exit code 0: done; 1: failed; 2: bad
 * arguments or keys.
 *
 * Keys come from the environment only (never the command line, where `ps` shows them):
 *   PERSONAL_ID_INDEX_KEY       the old key, the one the service ran with
 *   PERSONAL_ID_INDEX_KEY_NEW   the new key (base64 of at least 32 bytes)
 *   DATA_KEY_ENCRYPTION_KEY     the KEKs, to unwrap the persons' data keys
 * Options: --service <name> (required), --database-url <url> (else DATABASE_URL).
 *
 * The service's part is `apps/<service>/src/rotate-index-key.ts`, found at run time by convention
 * (tools import no app's code at compile time); a service without one keeps no blind indexes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@haidang/event-store';
import { loadPiiKeys, parseIndexKey, PersonalDataProtector } from '@haidang/pii';

const USAGE = 'usage: PERSONAL_ID_INDEX_KEY=<old> PERSONAL_ID_INDEX_KEY_NEW=<new> npm run rotate-index-key -- --service <name> [--database-url <url>]';

interface ServiceRotation {
  rotateIndexKey(options: {
    pool: Pool;
    store: EventStore;
    protector: PersonalDataProtector;
    oldIndexKey: Buffer;
    newIndexKey: Buffer;
  }): Promise<Record<string, number>>;
}

function parseArgs(argv: readonly string[]): Record<string, string> | string {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const match = /^--(service|database-url)(?:=(.*))?$/.exec(flag);
    if (!match) return `unknown argument ${flag}`;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') return `${flag} needs a value`;
    options[match[1] as string] = value;
  }
  return options;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`rotate-index-key: ${args}\n${USAGE}`);
    return 2;
  }
  const service = args['service'];
  if (!service || !/^[a-z][a-z0-9-]{0,40}$/.test(service)) {
    console.error(`rotate-index-key: --service <name> is required\n${USAGE}`);
    return 2;
  }
  const module = join(__dirname, '..', 'apps', service, 'src', 'rotate-index-key.ts');
  if (!existsSync(module)) {
    console.error(`rotate-index-key: the ${service} service keeps no blind indexes (no apps/${service}/src/rotate-index-key.ts)`);
    return 2;
  }
  const databaseUrl = args['database-url'] ?? process.env['DATABASE_URL'];
  if (!databaseUrl) {
    console.error('rotate-index-key: give --database-url or DATABASE_URL');
    return 2;
  }
  let oldIndexKey: Buffer;
  let newIndexKey: Buffer;
  let keys;
  try {
    const oldValue = process.env['PERSONAL_ID_INDEX_KEY'];
    const newValue = process.env['PERSONAL_ID_INDEX_KEY_NEW'];
    if (!oldValue || !newValue) throw new Error('set PERSONAL_ID_INDEX_KEY (the old key) and PERSONAL_ID_INDEX_KEY_NEW');
    oldIndexKey = parseIndexKey(oldValue);
    newIndexKey = parseIndexKey(newValue);
    keys = loadPiiKeys();
  } catch (error) {
    // Messages name variables and lengths only, never key material.
    console.error(`rotate-index-key: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (keys.development) console.error('rotate-index-key: no DATA_KEY_ENCRYPTION_KEY: using the development key-encryption key');
  // A service's part is found at run time, like its descriptor (discoverServices).
  const rotation = require(module) as ServiceRotation;
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const store = new PostgresEventStore({ pool, listen: false });
  try {
    const protector = new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys, cache: { maxEntries: 0 } });
    const report = await rotation.rotateIndexKey({ pool, store, protector, oldIndexKey, newIndexKey });
    console.log(JSON.stringify({ service, ...report }, null, 2));
    console.error(`rotate-index-key: ${service} done; start it with PERSONAL_ID_INDEX_KEY set to the new key, then destroy the old key`);
    return 0;
  } catch (error) {
    console.error(`rotate-index-key: failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await store.close();
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rotate-index-key: ${(error as Error).message}`);
    process.exit(1);
  },
);
