/**
 * Issue 10 §9 and §11 (bearer scheme), over real HTTP with the real auth module: tokens signed with
 * the real key whose jurisdiction claim does not fit the agency code are refused with 401; a
 * token without the claim is scoped from its agency; the scheme is case-insensitive.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { registerPerson, sampleMigrations, startSampleService } from './sample-service';
import { signClaims } from './signed-claims';

jest.setTimeout(60_000);

describe('tokens whose jurisdiction does not fit their agency', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;
  const personId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool, { rateLimit: { limit: 1_000, windowMs: 60_000, perAddressLimit: 1_000 } });
    // Phường Cẩm Phả (06793), Quảng Ninh (22).
    await registerPerson(sample.store, sample.protector, personId, { fullName: 'Vũ Thị Phạm Vi', personalId: '022190007777', residenceCommuneCode: '06793' });
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  const read = async (authorization: string) => {
    const response = await fetch(`${sample.url}/api/v1/persons/${personId}`, { headers: { authorization } });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  it.each([
    ['a commune agency claiming its whole province', { agency: '22-COMMUNE-06811', jurisdiction: ['22'] }],
    ['a commune agency claiming the person’s commune', { agency: '22-COMMUNE-06811', jurisdiction: ['06793'] }],
    ['a commune agency claiming its own and the person’s commune', { agency: '22-COMMUNE-06811', jurisdiction: ['06811', '06793'] }],
    ['a provincial agency claiming one commune', { agency: '22-POLICE', jurisdiction: ['06793'] }],
    ['a provincial agency claiming nothing', { agency: '22-POLICE', jurisdiction: [] }],
    ['a provincial agency claiming another province', { agency: '20-POLICE', jurisdiction: ['22'] }],
    ['a commune agency of one province naming a commune of another', { agency: '20-COMMUNE-06793', jurisdiction: ['06793'] }],
  ])('refuses %s with 401 problem+json', async (_case, claims) => {
    const token = await signClaims({ ...claims, roles: ['caseworker'] });
    const response = await read(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.type).toContain('application/problem+json');
    expect(response.text).not.toContain('Phạm Vi');
  });

  it('scopes a token without the claim from its agency: its own commune reads, a neighbour does not', async () => {
    expect((await read(`Bearer ${await signClaims({ agency: '22-COMMUNE-06793', roles: ['caseworker'] })}`)).status).toBe(200);
    expect((await read(`Bearer ${await signClaims({ agency: '22-COMMUNE-06811', roles: ['caseworker'] })}`)).status).toBe(403);
    expect((await read(`Bearer ${await signClaims({ agency: '22-POLICE', roles: ['caseworker'] })}`)).status).toBe(200);
  });

  it('still accepts claims that fit', async () => {
    expect((await read(`Bearer ${await signClaims({ agency: '22-COMMUNE-06793', roles: ['caseworker'], jurisdiction: ['06793'] })}`)).status).toBe(200);
    expect((await read(`Bearer ${await signClaims({ agency: '22-POLICE', roles: ['caseworker'], jurisdiction: ['22'] })}`)).status).toBe(200);
  });

  it('accepts the bearer scheme in any case (RFC 7235), and nothing but a bearer token', async () => {
    const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect((await read(`${scheme} ${token}`)).status).toBe(200);
    expect((await read(`Basic ${token}`)).status).toBe(401);
  });
});
