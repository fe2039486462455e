import { Pool } from 'pg';
import type { Decider } from '@haidang/decider';
import { eventStoreMigrations, PostgresEventStore, type EventStore, type RecordedEvent } from '@haidang/event-store';
import { loadPiiKeys, PersonalDataProtector, piiMigrations } from '@haidang/pii';
import { runWithContext, type Principal } from '@haidang/request-context';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { CommandPipeline, defineAggregate, RequestFingerprint } from './index';

jest.setTimeout(60_000);

// A tally: opened once, then counted up; its state is what every load must get right.
type TallyEvent = { type: 'TallyOpened'; data: { by: string } } | { type: 'TallyCounted'; data: { step: number } };
type TallyCommand = { type: 'OpenTally'; data: { by: string } } | { type: 'CountTally'; data: { step: number } };
type TallyState = { open: boolean; total: number; counts: number };
const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: () => ({ open: false, total: 0, counts: 0 }),
  decide: (command) =>
    command.type === 'OpenTally' ? [{ type: 'TallyOpened', data: command.data }] : [{ type: 'TallyCounted', data: { step: command.data.step } }],
  evolve: (state, event) =>
    event.type === 'TallyOpened' ? { ...state, open: true } : { ...state, total: state.total + event.data.step, counts: state.counts + 1 },
};
const tally = defineAggregate({
  service: 'kit-test',
  name: 'Tally',
  decider: tallyDecider,
  schemaVersions: { TallyOpened: 1, TallyCounted: 1 },
  personalFields: {},
  exists: (state) => state.open,
  personOf: () => null,
});

const principal = {
  sub: 'officer-1',
  agency: { code: '22-DOLISA', province: '22', type: 'DOLISA' },
  roles: ['caseworker'],
  jurisdiction: ['22'],
} as unknown as Principal;
const asOfficer = <T>(work: () => Promise<T>): Promise<T> => runWithContext({ correlationId: 'corr-1', principal }, work);

/** The store port with a count of the events its stream reads delivered (what a load had to fold). */
function countingStore(store: PostgresEventStore): { store: EventStore; delivered: () => number } {
  let delivered = 0;
  const counting = Object.create(store) as EventStore;
  counting.readStream = async function* (stream, options) {
    for await (const event of store.readStream(stream, options)) {
      delivered++;
      yield event as RecordedEvent;
    }
  };
  return { store: counting, delivered: () => delivered };
}

describe('AggregateStore: loaded states kept by stream revision (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  const stores: PostgresEventStore[] = [];

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...piiMigrations] });
    pool = new Pool({ connectionString: database.url, max: 4 });
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await pool.end();
    await database.drop();
  });

  /** A pipeline as one service instance has it; two of them on one database are two instances. */
  const instance = (stateCacheSize?: number) => {
    const keys = loadPiiKeys();
    const postgres = new PostgresEventStore({ pool, listen: false });
    stores.push(postgres);
    const counting = countingStore(postgres);
    const pipeline = new CommandPipeline({
      store: counting.store,
      protector: new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys }),
      fingerprint: new RequestFingerprint(keys.personalIdIndexKey, 'kit-test'),
      clock: () => new Date('2026-03-02T03:00:00Z'),
      ...(stateCacheSize === undefined ? {} : { stateCacheSize }),
    });
    return { pipeline, delivered: counting.delivered };
  };
  const count = (pipeline: CommandPipeline, id: string, version: number, step = 1) =>
    asOfficer(() => pipeline.execute(tally, id, { type: 'CountTally', data: { step } }, { expected: { version } }));

  it('reads only the events after the kept revision, and none when nothing was appended since', async () => {
    const { pipeline, delivered } = instance();
    const id = pipeline.storeOf(tally).newId('22-DOLISA', undefined);
    await asOfficer(() => pipeline.execute(tally, id, { type: 'OpenTally', data: { by: 'officer-1' } }, { expected: 'new' }));
    for (let version = 0; version < 5; version++) expect(await count(pipeline, id, version)).toMatchObject({ ok: true, version: version + 1 });
    // The last command's load kept revision 4 (its own append is not folded in): this load reads revision 5 alone...
    let before = delivered();
    expect(await pipeline.storeOf(tally).load(id)).toEqual({ state: { open: true, total: 5, counts: 5 }, version: 5 });
    expect(delivered() - before).toBe(1);
    // ...and the next one nothing.
    before = delivered();
    expect(await pipeline.storeOf(tally).load(id)).toEqual({ state: { open: true, total: 5, counts: 5 }, version: 5 });
    expect(delivered() - before).toBe(0);
    await count(pipeline, id, 5, 10);
    const afterAppend = delivered();
    expect(await pipeline.storeOf(tally).load(id)).toEqual({ state: { open: true, total: 15, counts: 6 }, version: 6 });
    // Kept at 5 (a state is kept only as loaded, personal fields encrypted): this load reads revision 6 alone.
    expect(delivered() - afterAppend).toBe(1);
  });

  it('sees what another instance appended after it kept a state, so it decides on the current version', async () => {
    const a = instance();
    const b = instance();
    const id = a.pipeline.storeOf(tally).newId('22-DOLISA', undefined);
    await asOfficer(() => a.pipeline.execute(tally, id, { type: 'OpenTally', data: { by: 'officer-1' } }, { expected: 'new' }));
    expect(await a.pipeline.storeOf(tally).load(id)).toMatchObject({ version: 0 });
    await count(b.pipeline, id, 0, 2);
    await count(b.pipeline, id, 1, 3);
    expect(await a.pipeline.storeOf(tally).load(id)).toEqual({ state: { open: true, total: 5, counts: 2 }, version: 2 });
    // A stale If-Match is refused against the current version, the current one accepted.
    expect(await count(a.pipeline, id, 0)).toEqual({ ok: false, failure: { kind: 'version-conflict' } });
    expect(await count(a.pipeline, id, 2)).toMatchObject({ ok: true, version: 3 });
  });

  it('folds an older revision from the start and keeps the newer state for the next load', async () => {
    const { pipeline } = instance();
    const id = pipeline.storeOf(tally).newId('22-DOLISA', undefined);
    await asOfficer(() => pipeline.execute(tally, id, { type: 'OpenTally', data: { by: 'officer-1' } }, { expected: 'new' }));
    await count(pipeline, id, 0, 4);
    await count(pipeline, id, 1, 6);
    const store = pipeline.storeOf(tally);
    expect(await store.load(id)).toMatchObject({ state: { total: 10 }, version: 2 });
    expect(await store.load(id, 1)).toEqual({ state: { open: true, total: 4, counts: 1 }, version: 1 });
    expect(await store.load(id)).toEqual({ state: { open: true, total: 10, counts: 2 }, version: 2 });
  });

  it('stays correct past its bound, and with the cache turned off', async () => {
    for (const size of [1, 0]) {
      const { pipeline } = instance(size);
      const ids = [0, 1, 2].map(() => pipeline.storeOf(tally).newId('22-DOLISA', undefined));
      for (const id of ids) await asOfficer(() => pipeline.execute(tally, id, { type: 'OpenTally', data: { by: 'officer-1' } }, { expected: 'new' }));
      for (let round = 0; round < 3; round++) for (const [i, id] of ids.entries()) expect(await count(pipeline, id, round, i + 1)).toMatchObject({ ok: true });
      for (const [i, id] of ids.entries())
        expect(await pipeline.storeOf(tally).load(id)).toEqual({ state: { open: true, total: 3 * (i + 1), counts: 3 }, version: 3 });
    }
  });
});
