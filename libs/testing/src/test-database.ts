import { applyMigrations } from '@haidang/sql-migrations';
import { createHash, randomBytes } from 'node:crypto';
import { Client, Pool, type PoolConfig } from 'pg';
import { resolveTestPostgresUrl } from './servers';

/** The shape of `@haidang/event-store`'s `Migration`, without depending on that lib. */
export interface MigrationLike {
  readonly id: string;
  readonly sql: string;
}

export interface CreateTestDatabaseOptions {
  /** Applied in order, recorded in `schema_migrations` exactly as `runMigrations` records them. */
  readonly migrations?: readonly MigrationLike[];
  /** Server to use (its database is the admin database); default DATABASE_URL, else a local one. */
  readonly serverUrl?: string;
  /** Options for the returned pool (default `max: 5`). */
  readonly pool?: Omit<PoolConfig, 'connectionString'>;
  /** Drop `hd_t_*` databases older than this, left by crashed runs (default 6 h; false: never). */
  readonly sweepOlderThanMs?: number | false;
}

/** A database of its own for one test file. */
export interface TestDatabase {
  /** `hd_t_<UTC yyyymmddhhmmss>_<random>`: the timestamp lets a sweep recognise stale ones. */
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
  /** Ends the pool and drops the database, disconnecting anyone still on it. Idempotent. */
  drop(): Promise<void>;
}

const TEMPLATE_LOCK_CLASS = 72_410_002; // advisory lock class for template builds; any shared constant
const COMPLETE = 'haidang test template: complete';
const TEST_DB_PATTERN = /^hd_t_(\d{14})_[0-9a-z]+$/;

let sweptThisProcess = false;

/**
 * Creates a fresh database from a template that already holds `migrations`. The template
 * (`hd_tpl_<hash of the migrations>`) is built once per server and migration set: concurrent Jest
 * workers and CI runs serialise on an advisory lock, and the template is marked complete only at the
 * end, so one half-built by a crashed run is dropped and rebuilt. Cloning a template takes tens of
 * milliseconds, where replaying the migrations would take far longer.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrations = options.migrations ?? [];
  const serverUrl = await resolveTestPostgresUrl(options.serverUrl);
  const template = templateName(migrations);

  const admin = await connectAdmin(serverUrl);
  let name: string;
  try {
    if (!sweptThisProcess && options.sweepOlderThanMs !== false) {
      sweptThisProcess = true;
      await sweepStaleDatabases(admin, options.sweepOlderThanMs ?? 6 * 3_600_000);
    }
    await ensureTemplate(admin, serverUrl, template, migrations);
    name = testDatabaseName(new Date());
    await createFromTemplate(admin, name, template);
  } finally {
    await admin.end().catch(() => undefined);
  }

  const url = withDatabase(serverUrl, name);
  const pool = new Pool({ max: 5, ...options.pool, connectionString: url });
  // An idle client dies when a test restarts the server or drops the database; the pool replaces it
  // on the next checkout. Without a listener that 'error' event would crash the Jest worker.
  pool.on('error', () => undefined);

  let dropped: Promise<void> | undefined;
  return {
    name,
    url,
    pool,
    drop() {
      dropped ??= (async () => {
        await pool.end().catch(() => undefined);
        const client = await connectAdmin(serverUrl);
        try {
          await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        } finally {
          await client.end().catch(() => undefined);
        }
      })();
      return dropped;
    },
  };
}

/** The template database holding `migrations`; exported for tests that fake a crashed build. */
export function templateName(migrations: readonly MigrationLike[]): string {
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(`${m.id}\u0000${m.sql}\u0000`);
  return `hd_tpl_${hash.digest('hex').slice(0, 16)}`;
}

function testDatabaseName(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `hd_t_${stamp}_${randomBytes(5).toString('hex')}`;
}

async function connectAdmin(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function templateIsComplete(admin: Client, template: string): Promise<boolean | 'absent'> {
  const { rows } = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [template],
  );
  if (rows.length === 0) return 'absent';
  return rows[0]?.comment === COMPLETE;
}

async function ensureTemplate(admin: Client, serverUrl: string, template: string, migrations: readonly MigrationLike[]): Promise<void> {
  if ((await templateIsComplete(admin, template)) === true) return;
  // Session-level: CREATE DATABASE cannot run inside a transaction. Advisory locks are scoped to the
  // database we are connected to, so every builder connects to the same admin database (serverUrl's).
  await admin.query('SELECT pg_advisory_lock($1, hashtext($2))', [TEMPLATE_LOCK_CLASS, template]);
  try {
    const state = await templateIsComplete(admin, template);
    if (state === true) return;
    if (state === false) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
    const builder = await connectAdmin(withDatabase(serverUrl, template));
    try {
      await applyMigrations(builder, migrations);
    } finally {
      await builder.end().catch(() => undefined);
    }
    // No connections from now on: CREATE DATABASE … TEMPLATE fails while anyone is connected to it.
    await admin.query(`ALTER DATABASE ${quoteIdent(template)} WITH ALLOW_CONNECTIONS false`);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(template)} IS '${COMPLETE}'`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1, hashtext($2))', [TEMPLATE_LOCK_CLASS, template]);
  }
}

async function createFromTemplate(admin: Client, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      return;
    } catch (error) {
      // 55006 "source database is being accessed by other users": a passing autovacuum worker or
      // a tool connected as superuser; it goes away, so wait and retry.
      if ((error as { code?: string }).code !== '55006' || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * Drops `hd_t_*` databases whose name stamp is older than `olderThanMs` (default 6 h): what runs that
 * died before `drop()` left behind. createTestDatabase does this once per process by itself.
 */
export async function sweepStaleTestDatabases(options: { serverUrl?: string; olderThanMs?: number } = {}): Promise<void> {
  const admin = await connectAdmin(await resolveTestPostgresUrl(options.serverUrl));
  try {
    await sweepStaleDatabases(admin, options.olderThanMs ?? 6 * 3_600_000);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function sweepStaleDatabases(admin: Client, olderThanMs: number): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'hd\\_t\\_%'`);
  const cutoff = Date.now() - olderThanMs;
  for (const { datname } of rows) {
    const stamp = TEST_DB_PATTERN.exec(datname)?.[1];
    if (!stamp) continue;
    const created = Date.parse(
      `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`,
    );
    if (created < cutoff) {
      // Another run may sweep the same one at once; losing that race is fine.
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`).catch(() => undefined);
    }
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
