import { runMigrations } from '@haidang/sql-migrations';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { verifyIntegrity } from './integrity';
import { PostgresEventStore } from './postgres-event-store';

describe('tamper evidence (hash chain per stream)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: database.pool, listen: false });
    // Single and multi-event appends, every expected-revision form, two streams.
    await store.appendToStream('Person-1', jsonEvent({ type: 'PersonRegistered', data: { name: 'pii:v1:AAAA', sex: 'M' } }), { expectedRevision: 'no_stream' });
    await store.appendToStream(
      'Person-1',
      [jsonEvent({ type: 'AddressChanged', data: { address: 'pii:v1:BBBB' } }), jsonEvent({ type: 'PhoneChanged', data: { phone: 'pii:v1:CCCC' } })],
      { expectedRevision: 0n },
    );
    await store.appendToStream('Person-1', jsonEvent({ type: 'Noted', data: { n: 1 } }), { expectedRevision: 'stream_exists' });
    await store.appendToStream('RehabCase-1', [jsonEvent({ type: 'Registered', data: {} }), jsonEvent({ type: 'Started', data: { on: '2026-07-02' } })], {
      expectedRevision: 'any',
    });
    await store.appendToStream('RehabCase-1', jsonEvent({ type: 'ProgressNoted', data: { note: 'ổn định' } }), { expectedRevision: 'any' });
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('verifies an untouched log', async () => {
    expect(await verifyIntegrity(database.pool)).toEqual({ streamsChecked: 2, eventsChecked: 7, unchainedEvents: 0, breaks: [], truncated: false });
  });

  it('reports one changed byte of an event’s data, at that event', async () => {
    await database.pool.query(`UPDATE es_events SET data = replace(data::text, 'BBBB', 'BBBC')::json WHERE stream_name = 'Person-1' AND stream_revision = 1`);
    expect((await verifyIntegrity(database.pool)).breaks).toEqual([{ streamName: 'Person-1', revision: 1n, reason: 'hash-mismatch' }]);
  });

  it('reports changed metadata, type and time', async () => {
    await database.pool.query(`UPDATE es_events SET metadata = '{"actor":"someone-else"}' WHERE stream_name = 'RehabCase-1' AND stream_revision = 0`);
    await database.pool.query(`UPDATE es_events SET recorded_at = recorded_at - interval '1 day' WHERE stream_name = 'RehabCase-1' AND stream_revision = 2`);
    await database.pool.query(`UPDATE es_events SET event_type = 'Forged' WHERE stream_name = 'Person-1' AND stream_revision = 3`);
    expect((await verifyIntegrity(database.pool)).breaks).toEqual([
      { streamName: 'Person-1', revision: 3n, reason: 'hash-mismatch' },
      { streamName: 'RehabCase-1', revision: 0n, reason: 'hash-mismatch' },
      { streamName: 'RehabCase-1', revision: 2n, reason: 'hash-mismatch' },
    ]);
  });

  it('reports a deleted event, in the middle and at the end', async () => {
    await database.pool.query(`DELETE FROM es_events WHERE stream_name = 'Person-1' AND stream_revision = 2`);
    await database.pool.query(`DELETE FROM es_events WHERE stream_name = 'RehabCase-1' AND stream_revision = 2`);
    const { breaks } = await verifyIntegrity(database.pool);
    expect(breaks).toEqual(
      expect.arrayContaining([
        { streamName: 'Person-1', revision: 2n, reason: 'revision-gap' },
        { streamName: 'RehabCase-1', revision: 2n, reason: 'head-mismatch' },
      ]),
    );
  });

  it('reports a rewritten hash (someone re-hashing a forged event breaks the next link)', async () => {
    await database.pool.query(`UPDATE es_events SET data = '{"n": 2}', hash = sha256(hash) WHERE stream_name = 'Person-1' AND stream_revision = 3`);
    const { breaks } = await verifyIntegrity(database.pool);
    expect(breaks).toEqual([
      { streamName: 'Person-1', revision: 3n, reason: 'hash-mismatch' },
      { streamName: 'Person-1', revision: 3n, reason: 'head-mismatch' },
    ]);
  });

  it('keeps working for later appends and scopes by stream prefix', async () => {
    await store.appendToStream('Person-1', jsonEvent({ type: 'Noted', data: { n: 2 } }), { expectedRevision: 3n });
    expect(await verifyIntegrity(database.pool, { streamPrefix: 'Person-' })).toMatchObject({ streamsChecked: 1, eventsChecked: 5, breaks: [] });
  });
});

describe('the hash-chain migration', () => {
  it('lists the events stored before it as unchained and chains what comes after', async () => {
    const [createLog] = eventStoreMigrations;
    const database = await createTestDatabase({ migrations: createLog ? [createLog] : [] });
    try {
      await database.pool.query(`INSERT INTO es_streams VALUES ('Old-1', 1, pg_current_xact_id()), ('Old-2', 0, pg_current_xact_id())`);
      await database.pool.query(
        `INSERT INTO es_events (event_id, stream_name, stream_revision, event_type, schema_version, data, metadata)
         VALUES (gen_random_uuid(), 'Old-1', 0, 'A', 1, '{"x": 1}', '{}'), (gen_random_uuid(), 'Old-1', 1, 'B', 1, '{}', '{}'),
                (gen_random_uuid(), 'Old-2', 0, 'A', 1, '{}', '{"actor": "u"}')`,
      );
      await runMigrations(database.pool, eventStoreMigrations);
      expect(await verifyIntegrity(database.pool)).toEqual({ streamsChecked: 2, eventsChecked: 0, unchainedEvents: 3, breaks: [], truncated: false });
      const store = new PostgresEventStore({ pool: database.pool, listen: false });
      await store.appendToStream('Old-1', jsonEvent({ type: 'C', data: {} }), { expectedRevision: 1n });
      await store.close();
      expect(await verifyIntegrity(database.pool)).toMatchObject({ eventsChecked: 1, unchainedEvents: 3, breaks: [] });
      await database.pool.query(`UPDATE es_events SET data = '{"c": 1}' WHERE stream_name = 'Old-1' AND stream_revision = 2`);
      expect((await verifyIntegrity(database.pool)).breaks).toEqual([{ streamName: 'Old-1', revision: 2n, reason: 'hash-mismatch' }]);
    } finally {
      await database.drop();
    }
  });
});
