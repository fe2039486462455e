import { Client } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { registerEventStoreMetrics } from './event-store-metrics';
import { PostgresEventStore } from './postgres-event-store';

describe('event store metrics', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: database.pool, listen: false });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('exposes the age of the oldest open transaction and the head position', async () => {
    const registry = new Registry();
    registerEventStoreMetrics(registry, store, { service: 'cases' });
    await store.appendToStream('Case-1', jsonEvent({ type: 'Opened', data: {} }));
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()'); // takes a transaction id, as a write would
      await new Promise((r) => setTimeout(r, 1100));
      const text = await registry.metrics();
      const age = Number(/haidang_event_store_oldest_open_transaction_age_seconds\{service="cases"\} ([\d.]+)/.exec(text)?.[1]);
      expect(age).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/haidang_event_store_head_global_position\{service="cases"\} [1-9]/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
