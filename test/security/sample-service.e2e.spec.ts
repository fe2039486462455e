/**
 * Issue 3's end-to-end proof, over real HTTP against real PostgreSQL: a route refused without a
 * token (401), refused for the wrong agency or unit (403), allowed for the right one; reads
 * recorded as access events; erasure; tamper evidence through GET /api/v1/integrity; every route
 * under a policy.
 */
import { randomUUID } from 'node:crypto';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { registerPerson, sampleMigrations, samplePolicy, startSampleService } from './sample-service';

jest.setTimeout(60_000);

describe('a service built on the security libraries', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;
  const personId = randomUUID();
  const name = `Nguyễn Thị Mẫu ${personId.slice(0, 8)}`;

  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const get = async (path: string, bearer?: string) => {
    const response = await fetch(`${sample.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool);
    // Phường Cẩm Phả (06793), Quảng Ninh (22).
    await registerPerson(sample.store, sample.protector, personId, { fullName: name, personalId: '022090001234', residenceCommuneCode: '06793' });
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  it('refuses a request without a token with 401 problem+json', async () => {
    const response = await get(`/api/v1/persons/${personId}`);
    expect(response.status).toBe(401);
    expect(response.type).toContain('application/problem+json');
  });

  it('refuses the wrong agency type and the wrong commune with 403, and tells nothing about the person', async () => {
    const police = await get(`/api/v1/persons/${personId}`, await token('22-BORDER_GUARD', ['caseworker'], ['22']));
    expect(police.status).toBe(403);
    const neighbour = await get(`/api/v1/persons/${personId}`, await token('22-COMMUNE-06778', ['caseworker'], ['06778']));
    expect(neighbour.status).toBe(403);
    expect(neighbour.type).toContain('application/problem+json');
    expect(JSON.stringify(neighbour.body)).not.toContain(name);
    const otherProvince = await get(`/api/v1/persons/${personId}`, await token('20-POLICE', ['caseworker'], ['20']));
    expect(otherProvince.status).toBe(403);
  });

  it('lets the person’s own commune read, decrypted, and records the access', async () => {
    const officer = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const response = await get(`/api/v1/persons/${personId}`, officer);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ fullName: name, personalId: '022090001234' });
    const log = await readAccessLog(sample.store, personId);
    expect(log.at(-1)).toMatchObject({ action: 'read', purpose: 'case-review' });
    expect(JSON.stringify(log)).not.toContain(name);
  });

  it('keeps the name out of the event store in the clear', async () => {
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name = $1`, [`Person-${personId}`]);
    expect(rows[0]?.data).not.toContain(name);
    expect(rows[0]?.data).not.toContain('022090001234');
  });

  it('reports one changed byte to an auditor through GET /api/v1/integrity, and only to an auditor', async () => {
    const auditor = await token('22-POLICE', ['auditor'], ['22']);
    expect((await get('/api/v1/integrity', await token('22-POLICE', ['caseworker'], ['22']))).status).toBe(403);
    const clean = await get('/api/v1/integrity', auditor);
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ breaks: [] });
    const stream = `Person-${personId}`;
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name = $1`, [stream]);
    const original = rows[0]?.data ?? '';
    await database.pool.query(`UPDATE es_events SET data = $2::json WHERE stream_name = $1`, [stream, original.replace('"06793"', '"06794"')]);
    const broken = await get('/api/v1/integrity', auditor);
    expect(broken.body.breaks).toEqual([{ streamName: `Person-${personId}`, revision: '0', reason: 'hash-mismatch' }]);
    await database.pool.query(`UPDATE es_events SET data = $2::json WHERE stream_name = $1`, [stream, original]);
    expect((await get('/api/v1/integrity', auditor)).body).toMatchObject({ breaks: [] });
  });

  it('erases a person by crypto-shredding: reads show [erased], the chain stays valid', async () => {
    const erasure = await fetch(`${sample.url}/api/v1/persons/${personId}/erasure`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('22-POLICE', ['data-protection'], ['22'])}` },
    });
    expect(erasure.status).toBe(201);
    const read = await get(`/api/v1/persons/${personId}`, await token('22-COMMUNE-06793', ['caseworker'], ['06793']));
    expect(read.body).toMatchObject({ fullName: '[erased]', personalId: '[erased]', residenceCommuneCode: '06793' });
    expect((await get('/api/v1/integrity', await token('22-POLICE', ['auditor'], ['22']))).body).toMatchObject({ breaks: [] });
  });

  it('serves health without a token', async () => {
    expect((await fetch(`${sample.url}/health/live`)).status).toBe(200);
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(sample.service.app, { policy: samplePolicy })).toEqual([]);
  });
});
