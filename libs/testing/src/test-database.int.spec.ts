import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { resolveTestPostgresUrl } from './servers';
import { createTestDatabase, type MigrationLike, sweepStaleTestDatabases, templateName, type TestDatabase } from './test-database';

jest.setTimeout(60_000);

const migrations: MigrationLike[] = [
  { id: 'testing/0001-cases', sql: 'CREATE TABLE cases (id uuid PRIMARY KEY, title text NOT NULL)' },
  { id: 'testing/0002-case-notes', sql: 'ALTER TABLE cases ADD COLUMN note text' },
];

async function adminQuery<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: await resolveTestPostgresUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;
}

describe('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  const oneOffTemplates: string[] = [];
  afterAll(async () => {
    await Promise.all(created.map((db) => db.drop()));
    // Templates of the one-off migration sets below; left alone, each run would add two on a shared server.
    for (const name of oneOffTemplates) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('gives each caller its own database with the migrations applied', async () => {
    const [a, b] = await Promise.all([createTestDatabase({ migrations }), createTestDatabase({ migrations })]);
    created.push(a, b);

    expect(a.name).not.toBe(b.name);
    expect(a.name).toMatch(/^hd_t_\d{14}_[0-9a-f]{10}$/);
    for (const db of [a, b]) {
      const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(['testing/0001-cases', 'testing/0002-case-notes']);
    }
    await a.pool.query(`INSERT INTO cases (id, title, note) VALUES (gen_random_uuid(), 'only in a', 'x')`);
    const countIn = async (db: TestDatabase): Promise<number> => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]?.n);
    expect(await countIn(a)).toBe(1);
    expect(await countIn(b)).toBe(0);
  });

  it('records migrations in the table shape runMigrations uses', async () => {
    const db = await createTestDatabase({ migrations });
    created.push(db);
    const { rows } = await db.pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_name = 'schema_migrations' ORDER BY ordinal_position`,
    );
    expect(rows).toEqual([
      { column_name: 'id', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'applied_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
    ]);
  });

  it('drop() removes the database even with clients still connected', async () => {
    const db = await createTestDatabase({ migrations });
    const stray = new Client({ connectionString: db.url });
    stray.on('error', () => undefined);
    await stray.connect();
    expect(await databaseExists(db.name)).toBe(true);

    await db.drop();
    await db.drop(); // idempotent

    expect(await databaseExists(db.name)).toBe(false);
    await stray.end().catch(() => undefined);
  });

  it('builds a new template once when many callers race, and rebuilds a half-made one', async () => {
    // Unique SQL, so no earlier run has this template.
    const unique: MigrationLike[] = [{ id: 'testing/0001-race', sql: `CREATE TABLE race_${randomBytes(4).toString('hex')} (n int)` }];
    oneOffTemplates.push(templateName(unique));
    const dbs = await Promise.all(Array.from({ length: 4 }, () => createTestDatabase({ migrations: unique })));
    created.push(...dbs);
    expect(new Set(dbs.map((d) => d.name)).size).toBe(4);
    const templates = await adminQuery<{ comment: string | null; datallowconn: boolean }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment, datallowconn FROM pg_database WHERE datname = $1`,
      [templateName(unique)],
    );
    expect(templates).toEqual([{ comment: 'haidang test template: complete', datallowconn: false }]);

    // A crashed run leaves a template without the completion mark: it must not be cloned as is.
    const halfMade: MigrationLike[] = [{ id: 'testing/0001-half', sql: `CREATE TABLE half_${randomBytes(4).toString('hex')} (n int)` }];
    oneOffTemplates.push(templateName(halfMade));
    await adminQuery(`CREATE DATABASE "${templateName(halfMade)}"`); // empty and unmarked
    const db = await createTestDatabase({ migrations: halfMade });
    created.push(db);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM schema_migrations');
    expect(rows.map((r) => r.id)).toEqual(['testing/0001-half']);
  });

  it('sweeps test databases left behind by a crashed run long ago', async () => {
    const stale = 'hd_t_20000101000000_deadbeef00';
    await adminQuery(`DROP DATABASE IF EXISTS ${stale}`);
    await adminQuery(`CREATE DATABASE ${stale}`);
    const recent = await createTestDatabase({ migrations });
    created.push(recent);

    await sweepStaleTestDatabases();

    expect(await databaseExists(stale)).toBe(false);
    expect(await databaseExists(recent.name)).toBe(true);
  });
});
