import { comparePositions, eventStoreMigrations, PostgresEventStore, START, type Position } from '@haidang/event-store';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { DataSource } from 'typeorm';
import { StoreSubscriptionSource } from './event-source';
import { projectionsMigrations } from './migrations/projections.migrations';
import { ProjectionHost } from './projection-host';
import { ProjectionRunner, type ProjectionLogger } from './projection-runner';
import { ensureProjectionSchema } from './projection-schema';
import { activeSchema, activeVersion, switchActiveVersion, withReadModel } from './projection-versions';
import { rebuildProjection } from './rebuild';
import { CaseRow, caseloadEntities, caseloadProjection, generateHistory, readAllEvents, readRows, referenceState } from './test-fixtures/caseload.fixture';

jest.setTimeout(120_000);

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;
const stoppers: (() => Promise<void>)[] = [];
const quiet: ProjectionLogger = { warn: () => undefined, error: () => undefined };

beforeEach(async () => {
  db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...projectionsMigrations] });
  store = new PostgresEventStore({ pool: db.pool });
  dataSource = new DataSource({ type: 'postgres', url: db.url, entities: caseloadEntities, poolSize: 6, logging: false });
  await dataSource.initialize();
});

afterEach(async () => {
  for (const stop of stoppers.splice(0)) await stop();
  await dataSource.destroy();
  await store.close();
  await db.drop();
});

/** See projection-runner.int.spec.ts: a head read during a projection transaction can be short. */
async function caughtUp(checkpoint: () => Position): Promise<void> {
  await waitFor(
    async () => {
      const head = await store.headPosition();
      return comparePositions(checkpoint(), head) >= 0 && comparePositions(await store.headPosition(), head) === 0;
    },
    { timeoutMs: 60_000, description: 'projection at the head' },
  );
}

async function schemaExists(name: string): Promise<boolean> {
  const { rowCount } = await db.pool.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [name]);
  return rowCount === 1;
}

describe('rebuildProjection', () => {
  it('builds a new version beside the live one, switches to it, and the two are equal row for row', async () => {
    await generateHistory(store, { cases: 220, persons: 80, seed: 21 });
    // v1 runs live in small transactions, the way it would have lived through these events.
    const v1 = new ProjectionRunner({
      projection: caseloadProjection('caseload', 1),
      dataSource,
      source: new StoreSubscriptionSource(store, { batchSize: 10, pollIntervalMs: 20 }),
      batchSize: 10,
      logger: quiet,
    });
    stoppers.push(() => v1.stop());
    await v1.start();
    await caughtUp(() => v1.checkpoint);
    expect(await switchActiveVersion(dataSource, 'caseload', 1)).toEqual({ switched: true, previous: undefined });

    // Appends go on during the rebuild; v2 reads everything from position 0 in big transactions.
    const writing = generateHistory(store, { cases: 220, persons: 80, seed: 22 });
    const { runner: v2, previousVersion } = await rebuildProjection({
      dataSource,
      store,
      projection: caseloadProjection('caseload', 2),
      batchSize: 1000,
      logger: quiet,
    });
    stoppers.push(() => v2.stop());
    expect(previousVersion).toBe(1);
    expect(await activeVersion(dataSource, 'caseload')).toBe(2);
    await writing;
    await caughtUp(() => v1.checkpoint);
    await caughtUp(() => v2.checkpoint);

    const events = await readAllEvents(store);
    expect(events.length).toBeGreaterThan(2500);
    const live = await readRows(dataSource, 'proj_caseload_v1');
    const rebuilt = await readRows(dataSource, 'proj_caseload_v2');
    expect(rebuilt).toEqual(live);
    expect(rebuilt).toEqual(referenceState(events));
    expect(live.cases.length).toBeGreaterThan(100);

    // Readers now get v2, through the registry, in one round trip.
    expect(await activeSchema(dataSource, 'caseload')).toBe('proj_caseload_v2');
    const read = await withReadModel(dataSource, 'caseload', async (em, version) => ({ version, cases: await em.count(CaseRow) }));
    expect(read).toEqual({ version: 2, cases: rebuilt.cases.length });
    const { rows } = await db.pool.query('SELECT active_version, previous_version FROM projection_versions');
    expect(rows).toEqual([{ active_version: 2, previous_version: 1 }]);
  });

  it('does not switch to a version that is behind the active one', async () => {
    await generateHistory(store, { cases: 20, persons: 5, seed: 23 });
    const v1 = new ProjectionRunner({ projection: caseloadProjection('caseload', 1), dataSource, source: new StoreSubscriptionSource(store), logger: quiet });
    stoppers.push(() => v1.stop());
    await v1.start();
    await caughtUp(() => v1.checkpoint);
    await switchActiveVersion(dataSource, 'caseload', 1);
    await ensureProjectionSchema(dataSource, caseloadProjection('caseload', 2)); // exists, at position 0

    expect(await switchActiveVersion(dataSource, 'caseload', 2)).toEqual({ switched: false, behindBy: v1.checkpoint });
    expect(await activeVersion(dataSource, 'caseload')).toBe(1);
  });

  it('resumes an interrupted rebuild from its checkpoint, or starts over when asked', async () => {
    await generateHistory(store, { cases: 60, persons: 20, seed: 24 });
    const events = await readAllEvents(store);
    const partial = new ProjectionRunner({
      projection: caseloadProjection('caseload', 1),
      dataSource,
      source: new StoreSubscriptionSource(store, { batchSize: 50 }),
      batchSize: 50,
      logger: quiet,
    });
    await partial.start();
    await partial.waitForCheckpoint(events[200]?.position ?? START, { timeoutMs: 30_000 });
    await partial.stop(); // the process died mid-rebuild
    const interruptedAt = partial.checkpoint;

    let resumedFrom: Position | undefined;
    const resumed = await rebuildProjection({
      dataSource,
      store,
      projection: caseloadProjection('caseload', 1),
      logger: quiet,
      onStarted: (r) => {
        resumedFrom = r.checkpoint;
      },
    });
    await resumed.runner.stop();
    expect(resumedFrom).toEqual(interruptedAt);
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));

    let freshFrom: Position | undefined;
    const fresh = await rebuildProjection({
      dataSource,
      store,
      projection: caseloadProjection('caseload', 2),
      fresh: true,
      logger: quiet,
      onStarted: (r) => {
        freshFrom = r.checkpoint;
      },
    });
    await fresh.runner.stop();
    expect(freshFrom).toEqual(START);
    expect(await readRows(dataSource, 'proj_caseload_v2')).toEqual(referenceState(events));
  });

  it('refuses to rebuild into the active version', async () => {
    await rebuildProjection({ dataSource, store, projection: caseloadProjection('caseload', 1), logger: quiet }).then((r) => r.runner.stop());
    await expect(rebuildProjection({ dataSource, store, projection: caseloadProjection('caseload', 1), logger: quiet })).rejects.toThrow(
      /already the active version/,
    );
  });
});

describe('ProjectionHost', () => {
  it('on a deploy with a new version, rebuilds it while readers stay on the old one, then switches and drops the old one', async () => {
    await generateHistory(store, { cases: 80, persons: 30, seed: 25 });
    const first = new ProjectionHost({ dataSource, store, logger: quiet });
    stoppers.push(() => first.stop());
    await first.start([caseloadProjection('caseload', 1)]);
    await first.idle(); // first deploy: built from 0, then made active
    expect(await activeVersion(dataSource, 'caseload')).toBe(1);
    expect(first.status()).toEqual([expect.objectContaining({ key: 'caseload.v1', state: 'running' })]);
    await first.stop();

    // The next deploy ships v2; its rebuild is held at its first event for a while.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const second = new ProjectionHost({ dataSource, store, logger: quiet, retire: 'drop' });
    stoppers.push(() => second.stop());
    await second.start([caseloadProjection('caseload', 2, { beforeHandle: () => gate })]);
    await waitFor(() => second.status().some((s) => s.key === 'caseload.v2' && s.state === 'rebuilding'));
    expect(await withReadModel(dataSource, 'caseload', async (_em, version) => version)).toBe(1);

    release();
    await second.idle();
    expect(await activeVersion(dataSource, 'caseload')).toBe(2);
    expect(await schemaExists('proj_caseload_v1')).toBe(false);
    expect((await db.pool.query(`SELECT 1 FROM projection_checkpoints WHERE projection = 'caseload.v1'`)).rowCount).toBe(0);
    expect(second.status()).toEqual([expect.objectContaining({ key: 'caseload.v2', state: 'running' })]);

    // And it runs live from there.
    await generateHistory(store, { cases: 10, persons: 5, seed: 26 });
    await caughtUp(() => second.status()[0]?.checkpoint ?? START);
    expect(await readRows(dataSource, 'proj_caseload_v2')).toEqual(referenceState(await readAllEvents(store)));
  });

  it('gives readers a read-only transaction', async () => {
    await rebuildProjection({ dataSource, store, projection: caseloadProjection('caseload', 1), logger: quiet }).then((r) => r.runner.stop());
    await expect(withReadModel(dataSource, 'caseload', (em) => em.query(`DELETE FROM case_row`))).rejects.toThrow(/read-only transaction/);
  });
});
