/**
 * Issue 10's platform points, over real HTTP against an app built by createServiceApp: what every
 * service gets from the library (§4 nesting, §6 cache headers, §7 prototype keys, §8 one budget per
 * principal across routes, §11 oversized headers and per-service logs, §12 command ids).
 */
import { request as httpRequest } from 'node:http';
import { createServiceApp, type ServiceApp } from './create-service-app';
import { rateLimitFromEnv } from './rate-limit/rate-limit-config';
import { LogCapture } from './test-fixtures/log-capture';
import { SampleAppModule } from './test-fixtures/sample-app.module';

const PROBLEM_JSON = /^application\/problem\+json/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validPerson = { fullName: 'Nguyễn Văn An', idNumber: '001234567890', residence: { communeCode: '06793' } };

type Problem = { type: string; status: number; detail?: string; errors?: { field: string; message: string }[] };

const postRaw = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('issue 10: what createServiceApp gives every service', () => {
  let service: ServiceApp;
  let baseUrl: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    service = await createServiceApp(SampleAppModule, { service: 'hardening', logLevel: 'info', logDestination: logs });
    baseUrl = await service.listen(0);
  });
  afterAll(async () => {
    await service?.app.close();
  });

  describe('§6 no response is cacheable', () => {
    it.each([
      ['a read', () => fetch(`${baseUrl}/api/v1/persons/p-1`), 200],
      ['a created resource', () => postRaw(`${baseUrl}/api/v1/persons`, JSON.stringify(validPerson)), 201],
      ['a liveness probe', () => fetch(`${baseUrl}/health/live`), 200],
      ['the OpenAPI document', () => fetch(`${baseUrl}/api/openapi.json`), 200],
      ['a validation error', () => postRaw(`${baseUrl}/api/v1/persons`, '{}'), 400],
      ['an unknown route', () => fetch(`${baseUrl}/nowhere`), 404],
    ])('sends Cache-Control: no-store and Pragma: no-cache on %s', async (_what, send, status) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
    });
  });

  describe('§4 deeply nested bodies', () => {
    it.each([
      ['arrays 2,000 deep', nestedArrays(2_000)],
      ['objects 5,000 deep', nestedObjects(5_000)],
      ['objects 33 deep', nestedObjects(33)],
      ['an array 33 deep inside a valid person', JSON.stringify({ ...validPerson, fullName: JSON.parse(nestedArrays(32)) })],
    ])('refuses %s with 400 problem+json before validation, not 500', async (_what, body) => {
      const response = await postRaw(`${baseUrl}/api/v1/persons`, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 400, type: 'urn:haidang:problem:nesting-too-deep' });
    });

    it('lets 32 levels through to validation', async () => {
      const response = await postRaw(`${baseUrl}/api/v1/persons`, nestedObjects(32));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: 'urn:haidang:problem:validation-error' });
    });
  });

  describe('§7 prototype keys', () => {
    it.each([
      [
        '__proto__ at the top',
        `{"fullName":"Nguyễn Văn An","idNumber":"001234567890","residence":{"communeCode":"06793"},"__proto__":{"isAdmin":true}}`,
        '__proto__',
      ],
      ['constructor at the top', JSON.stringify({ ...validPerson, constructor: { prototype: { isAdmin: true } } }), 'constructor'],
      ['prototype at the top', JSON.stringify({ ...validPerson, prototype: {} }), 'prototype'],
      [
        '__proto__ nested',
        `{"fullName":"Nguyễn Văn An","idNumber":"001234567890","residence":{"communeCode":"06793","__proto__":{"x":1}}}`,
        'residence.__proto__',
      ],
      ['constructor inside an array', JSON.stringify({ ...validPerson, fullName: [{ constructor: 1 }] }), 'fullName.0.constructor'],
    ])('refuses %s with 400 naming the field', async (_what, body, field) => {
      const response = await postRaw(`${baseUrl}/api/v1/persons`, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const problem = (await response.json()) as Problem;
      expect(problem).toMatchObject({ status: 400, type: 'urn:haidang:problem:validation-error' });
      expect(problem.errors?.map((error) => error.field)).toEqual([field]);
    });

    it('refuses them in the query too', async () => {
      const response = await fetch(`${baseUrl}/api/v1/persons/p-1?__proto__=1`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as Problem).errors?.[0]?.field).toBe('__proto__');
    });

    it('still accepts the same body without them', async () => {
      expect((await postRaw(`${baseUrl}/api/v1/persons`, JSON.stringify(validPerson))).status).toBe(201);
    });
  });

  describe('§11 headers over Node’s limit', () => {
    it('answers 431 with a problem+json body, not an empty one', async () => {
      const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const request = httpRequest(`${baseUrl}/api/v1/persons/p-1`, { headers: { 'x-filler': 'x'.repeat(20_000) } }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
        });
        request.on('error', reject);
        request.end();
      });
      expect(status).toBe(431);
      expect(headers['content-type']).toMatch(PROBLEM_JSON);
      expect(headers['cache-control']).toBe('no-store');
      expect(JSON.parse(body)).toMatchObject({ status: 431, type: 'urn:haidang:problem:headers-too-large', title: 'Request Header Fields Too Large' });
    });
  });

  describe('§12 command ids', () => {
    it('gives each command request a fresh commandId, and the correlation id as causationId', async () => {
      const send = () => fetch(`${baseUrl}/api/v1/context`, { method: 'POST', headers: { 'x-correlation-id': 'flow-12' } });
      const first = (await (await send()).json()) as Record<string, string>;
      const second = (await (await send()).json()) as Record<string, string>;
      expect(first).toMatchObject({ correlationId: 'flow-12', causationId: 'flow-12', commandId: expect.stringMatching(UUID) });
      expect(second.commandId).toMatch(UUID);
      expect(second.commandId).not.toBe(first.commandId);
    });

    it('gives a read no command id', async () => {
      expect(await (await fetch(`${baseUrl}/api/v1/context`)).json()).toEqual({ correlationId: expect.any(String) });
    });
  });
});

describe('issue 10 §11: each service logs under its own name when several run in one process', () => {
  it('names referrals in referrals’ lines, cases in cases’ (npm start runs both in one process)', async () => {
    const casesLogs = new LogCapture();
    const referralsLogs = new LogCapture();
    const cases = await createServiceApp(SampleAppModule, { service: 'cases', logLevel: 'info', logDestination: casesLogs });
    const referrals = await createServiceApp(SampleAppModule, { service: 'referrals', logLevel: 'info', logDestination: referralsLogs });
    try {
      const casesUrl = await cases.listen(0);
      const referralsUrl = await referrals.listen(0);
      await fetch(`${referralsUrl}/api/v1/persons/p-1`, { headers: { 'x-correlation-id': 'referrals-line' } });
      await postRaw(`${referralsUrl}/api/v1/persons`, JSON.stringify(validPerson), { 'x-correlation-id': 'referrals-handler-line' });
      await fetch(`${casesUrl}/api/v1/persons/p-1`, { headers: { 'x-correlation-id': 'cases-line' } });
      const referralsLines = referralsLogs.parsed();
      // Its access lines and the line its handler logged are in its own log, under its own name …
      expect(referralsLines.find((line) => line['correlationId'] === 'referrals-line' && line['res'])).toMatchObject({ service: 'referrals' });
      expect(referralsLines.find((line) => line['msg'] === 'person registered')).toMatchObject({
        service: 'referrals',
        correlationId: 'referrals-handler-line',
      });
      expect(casesLogs.parsed().find((line) => line['correlationId'] === 'cases-line' && line['res'])).toMatchObject({ service: 'cases' });
      // … and no line of one names the other.
      expect(referralsLines.length).toBeGreaterThan(0);
      expect(referralsLines.every((line) => line['service'] === 'referrals')).toBe(true);
      expect(casesLogs.parsed().every((line) => line['service'] === 'cases')).toBe(true);
    } finally {
      await referrals.app.close();
      await cases.app.close();
    }
  });
});

describe('issue 10 §8: one budget per principal across all routes', () => {
  it('counts a principal’s requests to different routes against one budget', async () => {
    const service = await createServiceApp(SampleAppModule, { service: 'budget', logLevel: 'silent', rateLimit: { limit: 4, windowMs: 60_000 } });
    try {
      const baseUrl = await service.listen(0);
      const as = (sub: string, path: string) => fetch(`${baseUrl}${path}`, { headers: { 'x-test-sub': sub } });
      const statuses = [];
      for (const path of ['/api/v1/context', '/api/v1/persons/a', '/api/v1/persons/b', '/api/v1/context']) statuses.push((await as('carol', path)).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
      const refused = await as('carol', '/api/v1/persons/c');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await as('dave', '/api/v1/persons/c')).status).toBe(200);
    } finally {
      await service.app.close();
    }
  });

  it('keeps a separate count for a route with a budget of its own', async () => {
    const service = await createServiceApp(SampleAppModule, { service: 'budget', logLevel: 'silent', rateLimit: { limit: 5, windowMs: 60_000 } });
    try {
      const baseUrl = await service.listen(0);
      const as = (path: string, method = 'GET') => fetch(`${baseUrl}${path}`, { method, headers: { 'x-test-sub': 'erin' } });
      expect([(await as('/api/v1/throttled', 'POST')).status, (await as('/api/v1/throttled', 'POST')).status]).toEqual([201, 201]);
      expect((await as('/api/v1/throttled', 'POST')).status).toBe(429);
      // Its own budget spent, the principal's budget across the other routes is not.
      expect([(await as('/api/v1/context')).status, (await as('/api/v1/persons/a')).status]).toEqual([200, 200]);
    } finally {
      await service.app.close();
    }
  });

  it('reads both budgets and the window from the environment, with defaults', () => {
    expect(rateLimitFromEnv({})).toEqual({ limit: 300, perAddressLimit: 60, windowMs: 60_000 });
    expect(rateLimitFromEnv({ RATE_LIMIT_PER_PRINCIPAL: '1000', RATE_LIMIT_PER_ADDRESS: '20', RATE_LIMIT_WINDOW_SECONDS: '30' })).toEqual({
      limit: 1000,
      perAddressLimit: 20,
      windowMs: 30_000,
    });
    for (const bad of ['0', '-1', '1.5', 'many']) expect(() => rateLimitFromEnv({ RATE_LIMIT_PER_ADDRESS: bad })).toThrow(/RATE_LIMIT_PER_ADDRESS/);
  });
});
