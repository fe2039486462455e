import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { benchmarkRebuild } from './benchmark-rebuild';

jest.setTimeout(120_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

// Speed is measured by `npm run bench`, not here: this only checks that the benchmark measures
// what it claims (every event of the store rebuilt, both handler styles).
describe('benchmarkRebuild', () => {
  it('rebuilds every event of the store, with buffered writes and with one statement per event', async () => {
    const figure = await benchmarkRebuild({ connectionString: db.url, events: 3_000, streams: 200 });
    expect(figure.events).toBe(3_000);
    expect(figure.eventsPerSecond).toBeGreaterThan(0);
    const baseline = await benchmarkRebuild({ connectionString: db.url, events: 0, handlers: 'statement-per-event' });
    expect(baseline.events).toBe(3_000);
  });
});
