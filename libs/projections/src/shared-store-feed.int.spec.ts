import { eventStoreMigrations, jsonEvent, PostgresEventStore, type EventStore, type Position, type RecordedEvent } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { DataSource } from 'typeorm';
import { SharedStoreFeed } from './event-source';
import { projectionsMigrations } from './migrations/projections.migrations';
import { defineProjection } from './projection-definition';
import { ProjectionRunner } from './projection-runner';
import { caseloadEntities, caseloadProjection, CaseRow, generateHistory, readAllEvents, readRows, referenceState } from './test-fixtures/caseload.fixture';

jest.setTimeout(60_000);

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;
const runners: ProjectionRunner[] = [];
const quiet = { warn: () => undefined, error: () => undefined };

beforeEach(async () => {
  db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...projectionsMigrations] });
  store = new PostgresEventStore({ pool: db.pool });
  dataSource = new DataSource({ type: 'postgres', url: db.url, entities: caseloadEntities, poolSize: 6, logging: false });
  await dataSource.initialize();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await dataSource.destroy();
  await store.close();
  await db.drop();
});

/** The store, counting the subscriptions made on it. */
function countingStore(): { store: Pick<EventStore, 'subscribeToAll'>; subscriptions: () => number } {
  let subscriptions = 0;
  return {
    store: {
      subscribeToAll: (options) => {
        subscriptions++;
        return store.subscribeToAll(options);
      },
    },
    subscriptions: () => subscriptions,
  };
}

async function storedCheckpoint(key: string): Promise<Position> {
  const { rows } = await db.pool.query<{ commit: string; prepare: string }>(
    'SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = $1',
    [key],
  );
  const row = rows[0];
  if (!row) throw new Error(`no checkpoint for ${key}`);
  return { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
}

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
/** The whole log once `count` events are readable (a commit is readable once no earlier transaction is open). */
async function readAtLeast(count: number): Promise<RecordedEvent[]> {
  for (;;) {
    const events = await readAllEvents(store);
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const last = (events: readonly RecordedEvent[]): Position => (events[events.length - 1] as RecordedEvent).position;

describe('SharedStoreFeed', () => {
  it('reads the log once for several projections, each applying every event as it is appended', async () => {
    const counting = countingStore();
    const feed = new SharedStoreFeed(counting.store, { batchSize: 100, pollIntervalMs: 50 });
    for (const name of ['one', 'two', 'three']) {
      const runner = new ProjectionRunner({ projection: caseloadProjection(name, 1), dataSource, source: feed.source(), logger: quiet });
      runners.push(runner);
      await runner.start();
    }
    const history = await generateHistory(store, { cases: 30, persons: 10, seed: 41 });
    const openCase = referenceState(await readAtLeast(history)).cases[0]?.case_id as string;
    for (let i = 0; i < 5; i++) await store.appendToStream(`RehabCase-${openCase}`, jsonEvent({ type: 'ProgressNoted', data: { caseId: openCase } }));
    const events = await readAtLeast(history + 5);
    for (const runner of runners) await runner.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    for (const name of ['one', 'two', 'three']) expect(await readRows(dataSource, `proj_${name}_v1`)).toEqual(referenceState(events));
    // One subscription for the three (a StoreSubscriptionSource each would make three).
    expect(counting.subscriptions()).toBe(1);
  });

  it('reads again from a projection that joins behind the others; they skip what they have', async () => {
    const history = await generateHistory(store, { cases: 20, persons: 5, seed: 42 });
    const feed = new SharedStoreFeed(store, { batchSize: 50, pollIntervalMs: 50 });
    const delivered: number[] = [];
    const first = new ProjectionRunner({
      projection: caseloadProjection('first', 1, { beforeHandle: () => void delivered.push(1) }),
      dataSource,
      source: feed.source(),
      logger: quiet,
    });
    runners.push(first);
    await first.start();
    const events = await readAtLeast(history);
    await first.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    const handledByFirst = delivered.length;

    const late = new ProjectionRunner({ projection: caseloadProjection('late', 1), dataSource, source: feed.source(), logger: quiet });
    runners.push(late);
    await late.start();
    await late.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    expect(await readRows(dataSource, 'proj_late_v1')).toEqual(referenceState(events));
    expect(await readRows(dataSource, 'proj_first_v1')).toEqual(referenceState(events));
    expect(delivered.length).toBe(handledByFirst); // nothing applied twice
  });
});

describe('ProjectionRunner with deferIdleCheckpoints', () => {
  it('moves past events it has no handler for without a transaction, and writes the checkpoint with the next event it applies', async () => {
    // Reads only RehabCaseOpened: every other event is idle for it.
    const projection = defineProjection<{ RehabCaseOpened: { caseId: string; commune: string; form: string } }>({
      name: 'opened',
      version: 1,
      entities: [CaseRow],
      handlers: {
        RehabCaseOpened: (event, _em, ctx) =>
          ctx.upsert(CaseRow, {
            caseId: event.data.caseId,
            commune: event.data.commune,
            form: event.data.form,
            status: 'open',
            progressNotes: 0,
            startedOn: null,
            lastPrepare: event.position.prepare.toString(),
          }),
      },
    });
    const runner = new ProjectionRunner({
      projection,
      dataSource,
      source: new SharedStoreFeed(store, { pollIntervalMs: 50 }).source(),
      deferIdleCheckpoints: true,
      logger: quiet,
    });
    runners.push(runner);
    await runner.start();
    await store.appendToStream('RehabCase-a', jsonEvent({ type: 'RehabCaseOpened', data: { caseId: A, commune: '06793', form: 'VOLUNTARY_COMMUNITY' } }));
    let events = await readAtLeast(1);
    await runner.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    expect(await storedCheckpoint('opened.v1')).toEqual(last(events));

    await store.appendToStream('RehabCase-a', jsonEvent({ type: 'ProgressNoted', data: { caseId: A } }));
    events = await readAtLeast(2);
    await runner.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    // In memory it is past the note; the row still says the last event that changed the read model.
    expect(runner.checkpoint).toEqual(last(events));
    expect(await storedCheckpoint('opened.v1')).toEqual((events[0] as RecordedEvent).position);

    await store.appendToStream('RehabCase-b', jsonEvent({ type: 'RehabCaseOpened', data: { caseId: B, commune: '06793', form: 'VOLUNTARY_COMMUNITY' } }));
    events = await readAtLeast(3);
    await runner.waitForCheckpoint(last(events), { timeoutMs: 30_000 });
    expect(await storedCheckpoint('opened.v1')).toEqual(last(events));
    const { rows } = await db.pool.query<{ case_id: string }>('SELECT case_id FROM proj_opened_v1.case_row ORDER BY case_id');
    expect(rows.map((r) => r.case_id)).toEqual([A, B]);
  });
});
