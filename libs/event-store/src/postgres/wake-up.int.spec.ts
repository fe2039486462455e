/**
 * Readers in another process are woken by a NOTIFY after each append, not by their poll: here the
 * subscriber's store (another "process") polls once an hour, so an event reaches it only if a
 * NOTIFY announced it. The first append after a quiet spell is announced at once; appends that
 * follow within the NOTIFY interval are announced together at its end, and none is left behind.
 * (Readers see only what is below the oldest open transaction of the whole cluster: run this on a
 * server where no other session sits idle in a transaction.)
 */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import type { RecordedEvent } from '../types';
import { PostgresEventStore } from './postgres-event-store';

const AN_HOUR = 3_600_000;
/** Long enough that an append right after another falls inside the interval and needs the trailing NOTIFY. */
const NOTIFY_INTERVAL_MS = 500;

describe('wake-up of readers in other processes', () => {
  let database: TestDatabase;
  let writer: PostgresEventStore;
  let reader: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    writer = new PostgresEventStore({ connectionString: database.url, notifyIntervalMs: NOTIFY_INTERVAL_MS });
    reader = new PostgresEventStore({ connectionString: database.url });
  });
  afterAll(async () => {
    await writer.close();
    await reader.close();
    await database.drop();
  });

  it('delivers every append, a burst included, to a subscriber of another store that never polls', async () => {
    const subscription = reader.subscribeToAll({ pollIntervalMs: AN_HOUR });
    const iterator = subscription[Symbol.asyncIterator]();
    const next = async (): Promise<RecordedEvent> => {
      const result = await iterator.next();
      if (result.done) throw new Error('subscription ended');
      return result.value;
    };
    try {
      await writer.appendToStream('Case-wake-1', jsonEvent({ type: 'First', data: {} }));
      expect((await next()).type).toBe('First');
      // The subscriber has read everything and waits: only a NOTIFY can bring what follows, here the
      // one at the end of the interval that First's NOTIFY opened.
      await writer.appendToStream('Case-wake-1', jsonEvent({ type: 'Second', data: {} }));
      expect((await next()).type).toBe('Second');
      // A burst: all of it within one interval, announced by one NOTIFY.
      await Promise.all(Array.from({ length: 5 }, (_, i) => writer.appendToStream(`Case-wake-burst-${i}`, jsonEvent({ type: 'Burst', data: {} }))));
      const burst = [await next(), await next(), await next(), await next(), await next()];
      expect(burst.map((e) => e.streamId).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `Case-wake-burst-${i}`));
      await writer.appendToStream('Case-wake-1', jsonEvent({ type: 'Last', data: {} }));
      expect((await next()).type).toBe('Last');
    } finally {
      await subscription.unsubscribe();
    }
  });
});
