import { comparePositions, type Position } from '@haidang/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { projectionKey, projectionSchemaName } from './projection-definition';
import { withTransaction } from './projection-schema';
import { quoteIdent } from './write-buffer';

/** Readers asked for a projection no version of which is active yet. */
export class ProjectionNotActiveError extends Error {
  override readonly name = 'ProjectionNotActiveError';
  constructor(readonly projection: string) {
    super(`No version of projection ${projection} is active`);
  }
}

export async function activeVersion(dataSource: DataSource, name: string): Promise<number | undefined> {
  const rows: { active_version: number }[] = await dataSource.query('SELECT active_version FROM projection_versions WHERE name = $1', [name]);
  return rows[0]?.active_version;
}

/** The schema readers should query for `name` (`proj_<name>_v<N>`), e.g. for analysts' raw SQL. */
export async function activeSchema(dataSource: DataSource, name: string): Promise<string> {
  const version = await activeVersion(dataSource, name);
  if (version === undefined) throw new ProjectionNotActiveError(name);
  return projectionSchemaName(name, version);
}

export interface ReadModelOptions {
  /** Retries once when the version read was dropped under the query (default true). */
  readonly retryOnRetiredVersion?: boolean;
}

/**
 * Runs `work` in a READ ONLY transaction whose search_path starts with the active version's schema
 * of projection `name`: the projection's entities, repositories and raw SQL read that version.
 * Resolving the version, pointing at it and making the transaction read-only is one statement, so
 * a reader never pays a separate round trip for it. If a rebuild drops the version the reader had just resolved (retire: 'drop'),
 * the query fails with "relation does not exist" and is run once more against the new version.
 */
export async function withReadModel<T>(
  dataSource: DataSource,
  name: string,
  work: (em: EntityManager, version: number) => Promise<T>,
  options: ReadModelOptions = {},
): Promise<T> {
  const retry = options.retryOnRetiredVersion ?? true;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(async (em) => {
        // READ ONLY (the same setting SET TRANSACTION READ ONLY makes) in the same statement: one round trip less.
        const rows: { active_version: number }[] = await em.query(
          `SELECT active_version, set_config('transaction_read_only', 'on', true),
                  set_config('search_path', quote_ident('proj_' || name || '_v' || active_version) || ', ' || current_setting('search_path'), true)
             FROM projection_versions WHERE name = $1`,
          [name],
        );
        const version = rows[0]?.active_version;
        if (version === undefined) throw new ProjectionNotActiveError(name);
        return work(em, version);
      });
    } catch (error) {
      if (!retry || attempt > 1 || !isUndefinedRelation(error)) throw error;
    }
  }
}

function isUndefinedRelation(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (error as { code?: unknown }).code;
  return code === '42P01' || code === '3F000';
}

export type SwitchResult = { readonly switched: true; readonly previous: number | undefined } | { readonly switched: false; readonly behindBy: Position };

/**
 * Makes `version` the active version of `name`, but only if its checkpoint is not behind the
 * currently active version's: readers never see the read model go back in time. Locks the active
 * version's checkpoint row while it compares, so that version cannot move on in between.
 * When refused, returns the active version's checkpoint to catch up to before trying again.
 */
export async function switchActiveVersion(dataSource: DataSource, name: string, version: number): Promise<SwitchResult> {
  return withTransaction(dataSource, async (qr) => {
    const current: { active_version: number }[] = await qr.query('SELECT active_version FROM projection_versions WHERE name = $1 FOR UPDATE', [name]);
    const previous = current[0]?.active_version;
    if (previous === version) return { switched: true, previous };
    const next = await lockedCheckpoint(qr, projectionKey(name, version));
    if (!next) throw new Error(`Projection ${projectionKey(name, version)} has no schema yet: run it before switching to it`);
    if (previous !== undefined) {
      const active = await lockedCheckpoint(qr, projectionKey(name, previous));
      if (active && comparePositions(next, active) < 0) return { switched: false, behindBy: active };
    }
    await qr.query(
      `INSERT INTO projection_versions (name, active_version, previous_version, switched_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET active_version = EXCLUDED.active_version, previous_version = EXCLUDED.previous_version, switched_at = now()`,
      [name, version, previous ?? null],
    );
    return { switched: true, previous };
  });
}

/**
 * Makes `version` active unconditionally: the way back to a kept version after a bad rebuild. The
 * version is only as fresh as its checkpoint: run it (its runner catches up) before or after.
 */
export async function activateVersion(dataSource: DataSource, name: string, version: number): Promise<void> {
  await withTransaction(dataSource, async (qr) => {
    const rows: unknown[] = await qr.query('SELECT 1 FROM projection_checkpoints WHERE projection = $1', [projectionKey(name, version)]);
    if (rows.length === 0) throw new Error(`Projection ${projectionKey(name, version)} has no schema: rebuild it instead`);
    await qr.query(
      `INSERT INTO projection_versions (name, active_version, previous_version, switched_at)
         VALUES ($1, $2, (SELECT active_version FROM projection_versions WHERE name = $1), now())
       ON CONFLICT (name) DO UPDATE SET previous_version = projection_versions.active_version, active_version = EXCLUDED.active_version, switched_at = now()`,
      [name, version],
    );
  });
}

/**
 * Drops a version's schema and checkpoint (its dead letters stay, as history). Refuses the active
 * version. Waits for readers still inside the schema (DROP takes their tables' locks).
 */
export async function dropProjectionVersion(dataSource: DataSource, name: string, version: number): Promise<void> {
  await withTransaction(dataSource, async (qr) => {
    const rows: { active_version: number }[] = await qr.query('SELECT active_version FROM projection_versions WHERE name = $1 FOR UPDATE', [name]);
    if (rows[0]?.active_version === version) throw new Error(`Refusing to drop ${projectionKey(name, version)}: it is the active version`);
    await qr.query(`DROP SCHEMA IF EXISTS ${quoteIdent(projectionSchemaName(name, version))} CASCADE`);
    await qr.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projectionKey(name, version)]);
  });
}

async function lockedCheckpoint(qr: { query(sql: string, params?: unknown[]): Promise<unknown> }, key: string): Promise<Position | undefined> {
  const rows = (await qr.query('SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = $1 FOR UPDATE', [
    key,
  ])) as { commit: string; prepare: string }[];
  const row = rows[0];
  return row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : undefined;
}
