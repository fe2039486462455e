/**
 * Per-principal rate limits with the real auth module in front (issue 3 §7): officers behind one
 * agency NAT (one client IP) each get their own budget, because the limiter runs after the auth
 * guard has verified who is asking. Issue 10 §8: that budget covers all routes together, and
 * requests without a valid token, which never reach that limiter, spend a per-address budget.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { registerPerson, sampleMigrations, startSampleService } from './sample-service';
import { signClaims } from './signed-claims';

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

  it('counts one budget per principal across all routes, not one per route', async () => {
    const officer = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'], sub: 'officer-c' });
    const register = async () =>
      (
        await fetch(`${sample.url}/api/v1/persons`, {
          method: 'POST',
          headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ fullName: 'Đinh Văn Ngân Sách', personalId: '022090005555', residenceCommuneCode: '06793' }),
        })
      ).status;
    expect([await read(officer), await register(), await read(officer)]).toEqual([200, 201, 200]);
    // A fourth request on yet another route: the budget of 3 is spent.
    expect(await register()).toBe(429);
    expect(await read(officer)).toBe(429);
  });
});

describe('rate limits for requests without a valid token', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool, { rateLimit: { limit: 100, windowMs: 60_000, perAddressLimit: 4 } });
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  it('answers 429 problem+json with Retry-After once an address spent its budget of 401s, before checking the token', async () => {
    const forged = await signClaims({ agency: '22-POLICE', roles: ['caseworker'], jurisdiction: ['06811'] });
    const path = `${sample.url}/api/v1/persons/${randomUUID()}`;
    const attempts = [
      await fetch(path),
      await fetch(path, { headers: { authorization: 'Bearer not.a.token' } }),
      await fetch(path, { headers: { authorization: `Bearer ${forged}` } }),
      await fetch(path, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
    ];
    expect(attempts.map((response) => response.status)).toEqual([401, 401, 401, 401]);
    const refused = await fetch(path, { headers: { authorization: 'Bearer not.a.token' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, type: 'urn:haidang:problem:rate-limited' });
    expect((await fetch(path)).status).toBe(429);
    // Probes still answer.
    expect((await fetch(`${sample.url}/health/live`)).status).toBe(200);
  });
});
