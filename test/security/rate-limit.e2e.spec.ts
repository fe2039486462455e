/**
 * Per-principal rate limits with the real auth module in front (issue 3 §7): officers behind one
 * agency NAT (one client IP) each get their own budget, because the limiter runs after the auth
 * guard has verified who is asking.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { registerPerson, sampleMigrations, startSampleService } from './sample-service';

jest.setTimeout(60_000);

describe('rate limits behind the auth guard', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;
  const personId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool, { rateLimit: { limit: 3, windowMs: 60_000 } });
    await registerPerson(sample.store, sample.protector, personId, { fullName: 'Trần Thị Hạn Mức', personalId: '022190004321', residenceCommuneCode: '06793' });
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  const read = async (token: string) => (await fetch(`${sample.url}/api/v1/persons/${personId}`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('gives each officer behind the same address a budget of their own', async () => {
    const first = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'], sub: 'officer-a' });
    const second = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'], sub: 'officer-b' });
    expect([await read(first), await read(first), await read(first)]).toEqual([200, 200, 200]);
    expect(await read(first)).toBe(429);
    // Same client address, another verified principal: not limited by the first one's use.
    expect(await read(second)).toBe(200);
  });
});
