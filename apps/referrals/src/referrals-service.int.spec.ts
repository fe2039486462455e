/**
 * The referrals service alone, on real PostgreSQL, with no cases service answering (an in-process
 * broker nobody listens on): what must hold before any other service is asked. A referral is never
 * recorded without cases' answer (503, nothing appended); bad input is 400 field by field, huge
 * bodies 413; every route has a policy; the OpenAPI document carries examples. The walk with a real
 * cases service is test/referrals/referrals-with-cases.int.spec.ts (apps may not import each other).
 */
import { randomUUID } from 'node:crypto';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { referralsPolicy } from './referrals.policy';
import { referralsMigrations, startReferralsService, type ReferralsService } from './referrals-service';

jest.setTimeout(60_000);

describe('referrals service without cases', () => {
  let database: TestDatabase;
  let referrals: ReferralsService;
  let commune: string;

  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${referrals.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      ...(options.raw !== undefined ? { body: options.raw } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
  };
  const eventCount = async (): Promise<number> => Number((await referrals.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
  const referral = {
    personId: randomUUID(),
    toAgency: '22-EMPLOYMENT_CENTRE',
    serviceType: 'JOB_PLACEMENT',
    reason: 'Wants work near home.',
    urgency: 'NORMAL',
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: referralsMigrations });
    referrals = await startReferralsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rpcBroker: new InProcessRpcBroker(),
      casesTimeoutMs: 1_000,
    });
    commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
  });
  afterAll(async () => {
    await referrals?.stop();
    await database?.drop();
  });

  it('answers 503 problem+json and records nothing when the cases service does not answer', async () => {
    const before = await eventCount();
    const response = await call('POST', '/api/v1/referrals', { token: commune, body: referral, headers: { 'idempotency-key': 'retry-me-later-1' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 503, type: 'urn:haidang:problem:cases-unavailable' });
    expect(await eventCount()).toBe(before);
  });

  it('refuses bad input field by field (400) before asking anyone', async () => {
    const bad = await call('POST', '/api/v1/referrals', {
      token: commune,
      body: { ...referral, personId: 'nobody', urgency: 'ASAP', consent: { given: 'yes' }, extra: 1 },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['personId', 'urgency', 'consent.given', 'consent.recordedOn', 'consent.scope', 'extra']));
    expect((await call('POST', '/api/v1/referrals', { token: commune, body: { ...referral, toAgency: undefined } })).status).toBe(400);
    expect((await call('POST', '/api/v1/referrals', { token: commune, raw: '{"personId": ' })).status).toBe(400);
    expect((await call('POST', '/api/v1/referrals', { token: commune, body: { ...referral, reason: 'x'.repeat(3_000_000) } })).status).toBe(413);
    expect((await call('POST', `/api/v1/referrals/${randomUUID()}/decline`, { token: commune, body: {}, headers: { 'if-match': '"0"' } })).status).toBe(400);
    expect(
      (await call('POST', `/api/v1/referrals/${randomUUID()}/accept`, { token: commune, body: { note: 'x' }, headers: { 'if-match': '"0"' } })).status,
    ).toBe(400);
    expect((await call('GET', '/api/v1/referrals?direction=sideways', { token: commune })).status).toBe(400);
    expect((await call('GET', '/api/v1/referrals?direction=incoming&overdue=maybe', { token: commune })).status).toBe(400);
  });

  it('asks for identity and refuses the PPC', async () => {
    expect((await call('GET', '/api/v1/referrals?direction=incoming')).status).toBe(401);
    const ppc = await signDevToken({ agency: '22-PPC', roles: ['supervisor', 'analyst'], units: ['22'] });
    expect((await call('GET', '/api/v1/referrals?direction=incoming', { token: ppc })).status).toBe(403);
    expect((await call('POST', '/api/v1/referrals', { token: ppc, body: referral })).status).toBe(403);
  });

  it('answers 404 for a referral that does not exist, and 428 before that for a change without If-Match', async () => {
    expect((await call('GET', `/api/v1/referrals/${randomUUID()}`, { token: commune })).status).toBe(404);
    expect((await call('GET', `/api/v1/referrals/${randomUUID()}/history`, { token: commune })).status).toBe(404);
    expect((await call('POST', `/api/v1/referrals/${randomUUID()}/withdraw`, { token: commune, body: {} })).status).toBe(428);
    expect((await call('POST', `/api/v1/referrals/${randomUUID()}/withdraw`, { token: commune, body: {}, headers: { 'if-match': '"0"' } })).status).toBe(404);
  });

  it('lists nothing yet', async () => {
    const outgoing = await call('GET', '/api/v1/referrals?direction=outgoing', { token: commune });
    expect(outgoing.status).toBe(200);
    expect(outgoing.body).toEqual({ page: 1, pageSize: 20, total: 0, items: [] });
  });

  it('documents the API with examples', async () => {
    const doc = await call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, unknown>;
    for (const path of [
      '/api/v1/referrals',
      '/api/v1/referrals/{id}',
      '/api/v1/referrals/{id}/history',
      '/api/v1/referrals/{id}/accept',
      '/api/v1/referrals/{id}/decline',
      '/api/v1/referrals/{id}/redirect',
      '/api/v1/referrals/{id}/withdraw',
      '/api/v1/referrals/{id}/completion',
      '/api/v1/referrals/{id}/consent-withdrawal',
      '/api/v1/referrals/{id}/sending',
    ]) {
      expect([path, paths[path] !== undefined]).toEqual([path, true]);
    }
    expect(JSON.stringify(doc.body)).toContain('22-EMPLOYMENT_CENTRE');
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(referrals.service.app, { policy: referralsPolicy })).toEqual([]);
  });
});
