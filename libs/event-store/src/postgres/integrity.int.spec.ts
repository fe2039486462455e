import { runMigrations } from '@haidang/sql-migrations';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { StreamIntegrityError, type ChainFinding } from '../chain';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import type { ReadStreamOptions, RecordedEvent } from '../types';
import { PostgresEventStore } from './postgres-event-store';

/**
 * Tamper evidence at read time (ADR 0007, issue 10 §3): a verified read of one stream checks each
 * event it reads against its stored bytes and the hash before it, and the stream row's head at the
 * end. The whole-log walk is libs/integrity's (`walkChains`), on the same `StreamChain` check.
 */
describe('verified stream reads (hash chain per stream)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let reported: ChainFinding[];

  const read = async (stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[] | StreamIntegrityError> => {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of store.readStream(stream, { ...options, verifyChain: true })) events.push(event);
      return events;
    } catch (error) {
      if (error instanceof StreamIntegrityError) return error;
      throw error;
    }
  };
  const refusal = async (stream: string, options: ReadStreamOptions = {}): Promise<ChainFinding | undefined> => {
    const result = await read(stream, options);
    return result instanceof StreamIntegrityError ? result.finding : undefined;
  };

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: database.pool, listen: false });
    reported = [];
    store.onChainBreak((finding) => reported.push(finding));
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

  it('reads an untouched stream as an unverified read does, whole or from a later revision', async () => {
    const plain: RecordedEvent[] = [];
    for await (const event of store.readStream('Person-1')) plain.push(event);
    expect(await read('Person-1')).toEqual(plain);
    expect(await read('Person-1', { fromRevision: 2n })).toEqual(plain.slice(2));
    expect(await read('Person-1', { fromRevision: 4n })).toEqual([]);
    expect(await read('Person-1', { fromRevision: 9n })).toEqual([]);
    expect(await read('Person-1', { fromRevision: 1n, maxCount: 1 })).toEqual(plain.slice(1, 2));
    expect(await read('Nobody-1')).toEqual([]);
    expect(reported).toEqual([]);
  });

  it('refuses one changed byte of an event’s data, at that event, and tells the listener once', async () => {
    await database.pool.query(`UPDATE es_events SET data = replace(data::text, 'BBBB', 'BBBC')::json WHERE stream_name = 'Person-1' AND stream_revision = 1`);
    const expected = { streamName: 'Person-1', revision: 1n, reason: 'hash-mismatch' };
    expect(await refusal('Person-1')).toEqual(expected);
    expect(reported).toEqual([expected]);
    // A read that starts after the change links to its stored hash: the later events still verify.
    expect(await read('Person-1', { fromRevision: 2n })).toHaveLength(2);
    expect(await read('RehabCase-1')).toHaveLength(3);
  });

  it('gives out nothing of a page that does not verify', async () => {
    await database.pool.query(`UPDATE es_events SET data = '{"n": 2}' WHERE stream_name = 'Person-1' AND stream_revision = 3`);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of store.readStream('Person-1', { verifyChain: true })) seen.push(event.type);
      })(),
    ).rejects.toBeInstanceOf(StreamIntegrityError);
    expect(seen).toEqual([]);
  });

  it('refuses changed metadata, type and time', async () => {
    await database.pool.query(`UPDATE es_events SET metadata = '{"actor":"someone-else"}' WHERE stream_name = 'RehabCase-1' AND stream_revision = 0`);
    expect(await refusal('RehabCase-1')).toEqual({ streamName: 'RehabCase-1', revision: 0n, reason: 'hash-mismatch' });
    await database.pool.query(`UPDATE es_events SET recorded_at = recorded_at - interval '1 day' WHERE stream_name = 'RehabCase-1' AND stream_revision = 2`);
    expect(await refusal('RehabCase-1', { fromRevision: 1n })).toEqual({ streamName: 'RehabCase-1', revision: 2n, reason: 'hash-mismatch' });
    await database.pool.query(`UPDATE es_events SET event_type = 'Forged' WHERE stream_name = 'Person-1' AND stream_revision = 3`);
    expect(await refusal('Person-1')).toEqual({ streamName: 'Person-1', revision: 3n, reason: 'hash-mismatch' });
  });

  it('refuses a missing hash as a break, not a count', async () => {
    await database.pool.query(`UPDATE es_events SET hash = NULL WHERE stream_name = 'Person-1' AND stream_revision = 2`);
    expect(await refusal('Person-1')).toEqual({ streamName: 'Person-1', revision: 2n, reason: 'unchained' });
    // Also when it is the event a later read links to.
    expect(await refusal('Person-1', { fromRevision: 3n })).toEqual({ streamName: 'Person-1', revision: 2n, reason: 'unchained' });
  });

  it('refuses a deleted event, in the middle, before a later read, and at the end', async () => {
    await database.pool.query(`DELETE FROM es_events WHERE stream_name = 'Person-1' AND stream_revision = 2`);
    expect(await refusal('Person-1')).toEqual({ streamName: 'Person-1', revision: 2n, reason: 'revision-gap' });
    expect(await refusal('Person-1', { fromRevision: 3n })).toEqual({ streamName: 'Person-1', revision: 2n, reason: 'revision-gap' });
    await database.pool.query(`DELETE FROM es_events WHERE stream_name = 'RehabCase-1' AND stream_revision = 2`);
    expect(await refusal('RehabCase-1')).toEqual({ streamName: 'RehabCase-1', revision: 2n, reason: 'head-mismatch' });
    // A read from just after the last event left sees no event, and still the head that names a later one.
    expect(await refusal('RehabCase-1', { fromRevision: 2n })).toEqual({ streamName: 'RehabCase-1', revision: 2n, reason: 'head-mismatch' });
  });

  it('refuses a rewritten hash (re-hashing a forged event breaks the next link, or the head)', async () => {
    await database.pool.query(`UPDATE es_events SET data = '{"n": 2}', hash = sha256(hash) WHERE stream_name = 'Person-1' AND stream_revision = 3`);
    expect(await refusal('Person-1')).toEqual({ streamName: 'Person-1', revision: 3n, reason: 'hash-mismatch' });
    await database.pool.query(`UPDATE es_events SET hash = sha256(hash) WHERE stream_name = 'RehabCase-1' AND stream_revision = 0`);
    expect(await refusal('RehabCase-1', { fromRevision: 1n })).toEqual({ streamName: 'RehabCase-1', revision: 1n, reason: 'hash-mismatch' });
  });

  it('keeps working for later appends, across pages', async () => {
    await store.appendToStream(
      'Person-1',
      Array.from({ length: 1_200 }, (_, n) => jsonEvent({ type: 'Noted', data: { n } })),
      { expectedRevision: 3n },
    );
    expect(await read('Person-1')).toHaveLength(1_204);
    await database.pool.query(`UPDATE es_events SET data = '{"n": -1}' WHERE stream_name = 'Person-1' AND stream_revision = 1100`);
    expect(await refusal('Person-1')).toEqual({ streamName: 'Person-1', revision: 1100n, reason: 'hash-mismatch' });
  });
});

describe('the hash-chain migration', () => {
  it('refuses a verified read of a stream with events stored before the chain, and chains what comes after', async () => {
    const [createLog] = eventStoreMigrations;
    const database = await createTestDatabase({ migrations: createLog ? [createLog] : [] });
    const store = new PostgresEventStore({ pool: database.pool, listen: false });
    const verified = async (stream: string): Promise<unknown> => {
      try {
        for await (const event of store.readStream(stream, { verifyChain: true })) void event;
        return 'verified';
      } catch (error) {
        return error instanceof StreamIntegrityError ? error.finding : error;
      }
    };
    try {
      await database.pool.query(`INSERT INTO es_streams VALUES ('Old-1', 1, pg_current_xact_id())`);
      await database.pool.query(
        `INSERT INTO es_events (event_id, stream_name, stream_revision, event_type, schema_version, data, metadata)
         VALUES (gen_random_uuid(), 'Old-1', 0, 'A', 1, '{"x": 1}', '{}'), (gen_random_uuid(), 'Old-1', 1, 'B', 1, '{}', '{}')`,
      );
      await runMigrations(database.pool, eventStoreMigrations);
      expect(await verified('Old-1')).toEqual({ streamName: 'Old-1', revision: 0n, reason: 'unchained' });
      await store.appendToStream('Old-1', jsonEvent({ type: 'C', data: {} }), { expectedRevision: 1n });
      await store.appendToStream('New-1', jsonEvent({ type: 'C', data: {} }), { expectedRevision: 'no_stream' });
      expect(await verified('New-1')).toBe('verified');
      // Unverified reads serve the old stream as before.
      const types: string[] = [];
      for await (const event of store.readStream('Old-1')) types.push(event.type);
      expect(types).toEqual(['A', 'B', 'C']);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
