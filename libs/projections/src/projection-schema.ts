import type { Position } from '@haidang/event-store';
import { DataSource, type QueryRunner } from 'typeorm';
import type { ProjectionDefinition } from './projection-definition';
import { quoteIdent } from './write-buffer';

/*
 * Where a projection version's tables live, and why this way.
 *
 * Each version `name.vN` gets its own PostgreSQL schema `proj_<name>_v<N>`, so a rebuild fills new
 * tables beside the live ones and the switch is a registry update, not a table rename.
 *
 * TypeORM binds an entity's schema in its metadata (decorator or DataSource `schema` option), once
 * per DataSource. The alternatives were: one DataSource per version (a connection pool per version,
 * and handlers' raw SQL would still have to spell the schema), or entities re-declared per version
 * (EntitySchema copies: the same class cannot have two metadata in one DataSource). Instead the
 * entities are declared WITHOUT a schema, so TypeORM emits unqualified table names, and every
 * projection transaction (writes and reads alike) starts with `set_config('search_path', …, true)`,
 * i.e. SET LOCAL: the projection schema first, then the session's own path. It is scoped to the
 * transaction, so it never leaks to the next user of a pooled connection (nor through PgBouncer in
 * transaction mode), and it covers TypeORM repositories, query builders and raw SQL the same way.
 * A query outside such a transaction fails loudly ("relation does not exist"), it never reads
 * another version by accident. The runtime's own tables (projection_*) are found through the rest of
 * the path; read-model tables must not be named projection_*.
 *
 * The tables are created from the entities' metadata (TypeORM's schema builder, run against the
 * empty schema) in the same transaction as the checkpoint row, so a version exists completely or not
 * at all. A schema is never altered afterwards: a new shape is a new version, rebuilt from the log.
 */

const SETUP_LOCK_CLASS = 72_410_003; // advisory lock class for schema setup; any constant shared by every process

/** Makes the projection version's schema the first on the search_path, for this transaction only. */
export async function useProjectionSchema(run: (sql: string, params: unknown[]) => Promise<unknown>, schema: string): Promise<void> {
  await run(`SELECT set_config('search_path', $1 || ', ' || current_setting('search_path'), true)`, [quoteIdent(schema)]);
}

/**
 * Creates the version's schema, tables and checkpoint row if they do not exist yet; returns whether
 * it did. Safe to call from several processes at once.
 */
export async function ensureProjectionSchema(dataSource: DataSource, projection: ProjectionDefinition): Promise<'created' | 'existing'> {
  if (await readCheckpoint(dataSource, projection.key)) return 'existing';
  // Computed before our transaction opens: it reads the catalog on a connection of its own, which on
  // PGlite (one backend behind every connection) would wait for an open transaction.
  const ddl = await tableDdl(dataSource, projection);
  return withTransaction(dataSource, async (qr) => {
    await qr.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SETUP_LOCK_CLASS, projection.key]);
    const rows: unknown[] = await qr.query('SELECT 1 FROM projection_checkpoints WHERE projection = $1', [projection.key]);
    if (rows.length > 0) return 'existing';
    // A schema without a checkpoint row was not made by us (setup is one transaction): start clean.
    await qr.query(`DROP SCHEMA IF EXISTS ${quoteIdent(projection.schema)} CASCADE`);
    await qr.query(`CREATE SCHEMA ${quoteIdent(projection.schema)}`);
    for (const statement of ddl) await qr.query(statement.query, statement.parameters);
    await qr.query(`INSERT INTO projection_checkpoints (projection, commit, prepare) VALUES ($1, '0', 0)`, [projection.key]);
    return 'created';
  });
}

/** The SQL TypeORM's schema builder would run to create the entities' tables in the version's schema. */
async function tableDdl(dataSource: DataSource, projection: ProjectionDefinition): Promise<{ query: string; parameters?: unknown[] }[]> {
  const options = dataSource.options;
  if (options.type !== 'postgres') throw new Error(`Projections need a PostgreSQL DataSource, got ${options.type}`);
  const scratch = new DataSource({
    ...options,
    schema: projection.schema,
    entities: [...projection.entities],
    subscribers: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    installExtensions: false,
    logging: false,
    poolSize: 1,
  });
  await scratch.initialize();
  try {
    const sql = await scratch.driver.createSchemaBuilder().log();
    return sql.upQueries;
  } finally {
    await scratch.destroy();
  }
}

export async function readCheckpoint(dataSource: DataSource, key: string): Promise<Position | undefined> {
  const rows: { commit: string; prepare: string }[] = await dataSource.query(
    'SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = $1',
    [key],
  );
  const row = rows[0];
  return row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : undefined;
}

/** Runs `work` in a transaction on a query runner of its own; rolls back on error. */
export async function withTransaction<T>(dataSource: DataSource, work: (qr: QueryRunner) => Promise<T>): Promise<T> {
  const qr = dataSource.createQueryRunner();
  try {
    await qr.connect();
    await qr.startTransaction();
    const result = await work(qr);
    await qr.commitTransaction();
    return result;
  } catch (error) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await qr.release();
  }
}
