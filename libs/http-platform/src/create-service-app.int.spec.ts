import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { Pool } from 'pg';
import { createServiceApp, type ServiceApp } from './create-service-app';
import { postgresReadiness, transportReadiness } from './ops/readiness';
import { LogCapture } from './test-fixtures/log-capture';
import { SampleAppModule } from './test-fixtures/sample-app.module';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEM_JSON = /^application\/problem\+json/;

const validPerson = { fullName: 'Nguyễn Văn An', idNumber: '001234567890', residence: { communeCode: '06793' } };

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  correlationId?: string;
  errors?: { field: string; message: string }[];
  [key: string]: unknown;
};

describe('createServiceApp over real HTTP', () => {
  let database: TestDatabase;
  let service: ServiceApp;
  let baseUrl: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await createServiceApp(SampleAppModule, {
      service: 'cases',
      logLevel: 'info',
      logDestination: logs,
      readiness: [postgresReadiness(database.pool), transportReadiness(async () => true)],
    });
    baseUrl = await service.listen(0);
  });

  afterAll(async () => {
    await service?.app.close();
    await database?.drop();
  });

  describe('security headers and CORS', () => {
    it('sets helmet headers and hides the framework', async () => {
      const response = await fetch(`${baseUrl}/health/live`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('answers no CORS headers when no origin is configured', async () => {
      const response = await fetch(`${baseUrl}/api/v1/persons`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('body limits and malformed bodies', () => {
    it('refuses a body over the limit with 413 problem+json', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, { ...validPerson, padding: 'x'.repeat(300 * 1024) });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const body = (await response.json()) as Problem;
      expect(body).toMatchObject({ status: 413, type: 'urn:haidang:problem:body-too-large' });
      expect(body.correlationId).toMatch(UUID);
    });

    it('refuses malformed JSON with 400 problem+json and does not quote the body', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, '{"fullName": "Lê Thị Malformed", ');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 400, type: 'urn:haidang:problem:malformed-json' });
      expect(text).not.toContain('Malformed');
    });
  });

  describe('validation', () => {
    it('accepts a valid body', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, validPerson);
      expect(response.status).toBe(201);
    });

    it('names each unknown field, nested ones included', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, { ...validPerson, nickname: 'x', residence: { communeCode: '06793', street: 'y' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const body = (await response.json()) as Problem;
      expect(body.type).toBe('urn:haidang:problem:validation-error');
      expect(body.errors?.map((error) => error.field).sort()).toEqual(['nickname', 'residence.street']);
    });

    it('names each field of the wrong type, nested ones included, without echoing values', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, { fullName: 42, idNumber: 'Phạm-secret-id', age: 'old', residence: { communeCode: 6793 } });
      expect(response.status).toBe(400);
      const text = await response.text();
      const body = JSON.parse(text) as Problem;
      const fields = new Set(body.errors?.map((error) => error.field));
      expect([...fields].sort()).toEqual(['age', 'fullName', 'idNumber', 'residence.communeCode']);
      expect(body.errors?.every((error) => typeof error.message === 'string' && error.message.length > 0)).toBe(true);
      expect(text).not.toContain('Phạm-secret-id');
    });

    it('names a missing nested object', async () => {
      const { residence: _residence, ...withoutResidence } = validPerson;
      const body = (await (await postJson(`${baseUrl}/api/v1/persons`, withoutResidence)).json()) as Problem;
      expect(body.status).toBe(400);
      expect(body.errors?.map((error) => error.field)).toContain('residence');
    });
  });

  describe('error mapping', () => {
    it.each([
      ['conflict', 409, 'urn:haidang:problem:wrong-expected-version'],
      ['rule', 422, 'urn:haidang:problem:domain-rule-violation'],
      ['domain-lib-rule', 422, 'urn:haidang:problem:domain-rule-violation'],
      ['idempotency', 422, 'urn:haidang:problem:idempotency-key-reused'],
      ['invalid-append', 400, 'urn:haidang:problem:invalid-request'],
      ['unavailable', 503, 'urn:haidang:problem:dependency-unavailable'],
      ['remote-refusal', 404, 'urn:haidang:problem:not-found'],
      ['remote-failure', 502, 'urn:haidang:problem:dependency-failed'],
    ])('maps %s to %i', async (kind, status, type) => {
      const response = await fetch(`${baseUrl}/api/v1/fail/${kind}`, { method: 'POST' });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const body = (await response.json()) as Problem;
      expect(body).toMatchObject({ status, type });
      expect(body.correlationId).toMatch(UUID);
    });

    it('explains a domain rule in the detail and names the rule', async () => {
      const body = (await (await fetch(`${baseUrl}/api/v1/fail/rule`, { method: 'POST' })).json()) as Problem;
      expect(body.detail).toBe('Post-rehab management cannot start before rehab is completed.');
      expect(body['rule']).toBe('rehab-not-completed');
    });

    it('tells the current version on a conflict', async () => {
      const body = (await (await fetch(`${baseUrl}/api/v1/fail/conflict`, { method: 'POST' })).json()) as Problem;
      expect(body).toMatchObject({ expectedVersion: '3', currentVersion: '4' });
    });

    it('answers an unknown error with 500 that reveals nothing but the correlation id, and logs no message', async () => {
      const response = await fetch(`${baseUrl}/api/v1/fail/boom`, { method: 'POST', headers: { 'x-correlation-id': 'support-ticket-500' } });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 500, type: 'urn:haidang:problem:internal-error', correlationId: 'support-ticket-500' });
      for (const secret of ['Trần', '079123456789', 'boom', 'at ', '.ts']) expect(text).not.toContain(secret);
      const errorLines = logs.parsed().filter((line) => line['errorName'] === 'Error');
      expect(errorLines.length).toBeGreaterThan(0);
      expect(logs.text).not.toContain('079123456789');
      expect(logs.text).not.toContain('Trần');
    });

    it('answers an unknown route with 404 problem+json without repeating the query', async () => {
      const response = await fetch(`${baseUrl}/api/v1/nowhere?q=Hoàng%20Văn%20Query`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const text = await response.text();
      expect(decodeURIComponent(text)).not.toContain('Query');
    });
  });

  describe('correlation id', () => {
    it('echoes the client correlation id and runs the handler in its context', async () => {
      const response = await fetch(`${baseUrl}/api/v1/context`, { headers: { 'x-correlation-id': 'corr-abc-123' } });
      expect(response.headers.get('x-correlation-id')).toBe('corr-abc-123');
      expect(await response.json()).toEqual({ correlationId: 'corr-abc-123' });
    });

    it('keeps the context after the JSON body was parsed', async () => {
      const response = await postJson(`${baseUrl}/api/v1/persons`, validPerson, { 'x-correlation-id': 'after-body-1' });
      expect(await response.json()).toEqual({ ok: true, correlationId: 'after-body-1' });
    });

    it('makes one when the client sends none or an unsafe one', async () => {
      const none = await fetch(`${baseUrl}/api/v1/context`);
      const generated = none.headers.get('x-correlation-id');
      expect(generated).toMatch(UUID);
      expect(await none.json()).toEqual({ correlationId: generated });
      const unsafe = await fetch(`${baseUrl}/api/v1/context`, { headers: { 'x-correlation-id': 'a b<script>' } });
      expect(unsafe.headers.get('x-correlation-id')).toMatch(UUID);
    });
  });

  describe('ops endpoints', () => {
    it('is live, and ready when the database and transport answer', async () => {
      expect(await (await fetch(`${baseUrl}/health/live`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, transport: { status: 'up' } } });
    });

    it('serves Prometheus metrics labelled by route pattern, not by URL', async () => {
      await fetch(`${baseUrl}/api/v1/persons/5b0a3c9e-1111-4000-8000-00000000abcd`);
      const response = await fetch(`${baseUrl}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/persons\/:id",status_code="200"\} [1-9]/);
      expect(text).not.toContain('00000000abcd');
    });

    it('serves the OpenAPI document and its UI', async () => {
      const json = await fetch(`${baseUrl}/api/openapi.json`);
      expect(json.status).toBe(200);
      const document = (await json.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/persons', '/api/v1/persons/{id}']));
      expect(Object.keys(document.paths)).not.toContain('/health/live');
      expect(document.components.schemas).toHaveProperty('RegisterPersonDto');
      const ui = await fetch(`${baseUrl}/api/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
    });
  });

  describe('logs', () => {
    it('logs a request carrying a name and an ID number in body, query and headers without either', async () => {
      const name = 'Đỗ Thị Khánh Linh';
      const idNumber = '031987654321';
      const before = logs.lines.length;
      const response = await postJson(
        `${baseUrl}/api/v1/persons?q=${encodeURIComponent(name)}&idNumber=${idNumber}`,
        { fullName: name, idNumber, residence: { communeCode: '06793' } },
        {
          authorization: 'Bearer secret-token-value',
          cookie: `session=${idNumber}`,
          'x-person-name': encodeURIComponent(name),
          'x-correlation-id': 'log-test-1',
        },
      );
      expect(response.status).toBe(201);
      const written = logs.lines.slice(before).join('');
      // The request was logged (else this test could not fail) …
      const access = logs
        .parsed()
        .slice(before)
        .find((line) => line['correlationId'] === 'log-test-1' && line['res'] !== undefined);
      expect(access).toMatchObject({ req: { method: 'POST' }, route: '/api/v1/persons', res: { statusCode: 201 } });
      expect(written).toContain('person registered');
      // … and none of the personal data or credentials.
      for (const secret of [name, encodeURIComponent(name), idNumber, 'secret-token-value', 'Khánh']) expect(written).not.toContain(secret);
    });
  });
});

describe('createServiceApp readiness when a dependency is down', () => {
  it('answers 503 problem+json naming the dependency that is down, not why', async () => {
    const deadPool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const service = await createServiceApp(SampleAppModule, {
      service: 'referrals',
      logLevel: 'silent',
      readiness: [postgresReadiness(deadPool), transportReadiness(async () => false, { key: 'nats' })],
    });
    try {
      const baseUrl = await service.listen(0);
      const response = await fetch(`${baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 503, type: 'urn:haidang:problem:not-ready', checks: { database: 'down', nats: 'down' } });
      expect(text).not.toContain('127.0.0.1');
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    } finally {
      await service.app.close();
      await deadPool.end();
    }
  });
});

describe('createServiceApp rate limiting', () => {
  it('answers 429 problem+json once a principal exceeds its limit, and counts each principal apart', async () => {
    const service = await createServiceApp(SampleAppModule, { service: 'employment', logLevel: 'silent', rateLimit: { limit: 3, windowMs: 60_000 } });
    try {
      const baseUrl = await service.listen(0);
      const asAlice = () => fetch(`${baseUrl}/api/v1/context`, { headers: { 'x-test-sub': 'alice' } });
      for (let i = 0; i < 3; i++) expect((await asAlice()).status).toBe(200);
      const refused = await asAlice();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ status: 429, type: 'urn:haidang:problem:rate-limited' });
      expect((await fetch(`${baseUrl}/api/v1/context`, { headers: { 'x-test-sub': 'bob' } })).status).toBe(200);
      // Ops endpoints are never throttled: probes must not fail because users are busy.
      for (let i = 0; i < 5; i++) expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    } finally {
      await service.app.close();
    }
  });
});

describe('createServiceApp CORS', () => {
  it('allows only the configured origins', async () => {
    const service = await createServiceApp(SampleAppModule, { service: 'campaigns', logLevel: 'silent', corsOrigins: ['https://portal.example.gov.vn'] });
    try {
      const baseUrl = await service.listen(0);
      const preflight = (origin: string) =>
        fetch(`${baseUrl}/api/v1/persons`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect((await preflight('https://portal.example.gov.vn')).headers.get('access-control-allow-origin')).toBe('https://portal.example.gov.vn');
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await service.app.close();
    }
  });
});
