/**
 * `untilReadable` waits for what the log hides: a commit made while an older transaction is still
 * open stays below no reader's horizon until that transaction ends (ADR 0002).
 */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { Client } from 'pg';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { untilReadable } from '../until-readable';
import { PostgresEventStore } from './postgres-event-store';

describe('untilReadable', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('resolves at once for a visible event, and waits while an older transaction hides a newer commit', async () => {
    const first = await store.appendToStream('Thing-1', [jsonEvent({ type: 'Noted', data: { n: 1 } })]);
    await untilReadable(store, first.position);

    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT txid_current()'); // an open transaction with an id, older than the next commit
      const hidden = await store.appendToStream('Thing-2', [jsonEvent({ type: 'Noted', data: { n: 2 } })]);
      await expect(untilReadable(store, hidden.position, { timeoutMs: 300 })).rejects.toThrow(/did not become readable/);
      const waiting = untilReadable(store, hidden.position, { timeoutMs: 30_000 });
      await blocker.query('COMMIT');
      await expect(waiting).resolves.toBeUndefined();
    } finally {
      await blocker.end();
    }
  });
});
