/**
 * Within a stream, log order (transaction id) must equal revision order (ADR 0002). A transaction
 * that took its id before another appended to the stream must not append after it.
 */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { appendSql } from './append-sql';
import { PostgresEventStore } from './postgres-event-store';

describe('transaction order within a stream', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let early: Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: database.pool, listen: false });
  });
  beforeEach(async () => {
    early = new Client({ connectionString: database.url });
    await early.connect();
  });
  afterEach(async () => {
    await early.query('ROLLBACK').catch(() => undefined);
    await early.end();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('refuses, in SQL, an append whose transaction id is below the stream’s last writer', async () => {
    await early.query('BEGIN');
    await early.query('SELECT pg_current_xact_id()'); // takes its id now
    await store.appendToStream('Case-order-1', jsonEvent({ type: 'Later', data: {} })); // a higher id, committed
    const event = jsonEvent({ type: 'Earlier', data: {} });
    const { rowCount } = await early.query(appendSql('any', 1), ['Case-order-1', 1, event.id, event.type, 1, '{}', '{}', Buffer.alloc(32)]);
    expect(rowCount).toBe(0);
  });

  it('refuses appendInTransaction once the transaction already holds an id', async () => {
    await early.query('BEGIN');
    await early.query('SELECT pg_current_xact_id()');
    await expect(store.appendInTransaction(early, 'Case-order-2', jsonEvent({ type: 'A', data: {} }))).rejects.toThrow(/first write/);
  });

  it('retries a plain append refused only for order, so the caller never sees it', async () => {
    await store.appendToStream('Case-order-3', jsonEvent({ type: 'A', data: {} }));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.appendToStream('Case-order-3', jsonEvent({ type: 'B', data: {} }), { expectedRevision: 'any' })),
    );
    expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => (a < b ? -1 : 1))).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
  });
});
