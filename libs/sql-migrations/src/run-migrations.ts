import type { Pool, PoolClient, Client } from 'pg';

/**
 * One versioned schema change. Ids are `<lib or service>/<NNNN>-<name>` and sort in the order they
 * must apply; an applied migration is never edited, a new one is added.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

const MIGRATION_LOCK = 72_410_001; // any constant shared by every process that migrates this database

/**
 * Applies, in order, the migrations not yet recorded in `schema_migrations`, each in its own
 * transaction, under an advisory lock so that replicas starting together migrate once.
 * Returns the ids it applied.
 */
export async function runMigrations(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await applyMigrations(client, migrations);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/**
 * The same without the lock, on a connection the caller holds (e.g. while building a template
 * database under a lock of its own).
 */
export async function applyMigrations(client: Client | PoolClient, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`Duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       id text PRIMARY KEY,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations');
  const done = new Set(rows.map((r) => r.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`Migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
    }
    applied.push(migration.id);
  }
  return applied;
}
