import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, resolveTestNatsUrl } from '@haidang/testing';
import { messagingMigrations } from '../migrations';
import { benchmarkRelay } from './benchmark-relay';

jest.setTimeout(30_000);

describe('benchmarkRelay', () => {
  it('relays the seeded log and reports its rate', async () => {
    const database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
    try {
      const result = await benchmarkRelay({ pool: database.pool, natsUrl: await resolveTestNatsUrl(), events: 1_000, batchSize: 200 });
      expect(result.events).toBe(1_000);
      expect(result.eventsPerSecond).toBeGreaterThan(0);
    } finally {
      await database.drop();
    }
  });
});
