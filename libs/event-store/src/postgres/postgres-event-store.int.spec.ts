import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { describeEventStoreContract } from '../contract';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL', async ({ upcasters }) => {
  const database: TestDatabase = await createTestDatabase({ migrations: eventStoreMigrations });
  const store = new PostgresEventStore({ pool: database.pool, ...(upcasters ? { upcasters } : {}) });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});
