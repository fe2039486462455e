/**
 * The authorization matrix over HTTP, every route against every kind of caller: no token (401),
 * another province's Border Guard, a PPC analyst, an agency with no part here, an auditor, a
 * caseworker and a supervisor of the province. Only the outcome "let through or not" is compared:
 * a caller let through may still get 404, 409, 422 or 428 for the record or the request itself.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { crossBorderPolicy } from './cross-border.policy';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from './cross-border-service';
import { handoverBody } from './cooperation-record/records.test-fixtures';

jest.setTimeout(120_000);

const CALLERS = {
  anonymous: null,
  'other-province guard': { agency: '22-BORDER_GUARD', roles: ['supervisor'], units: ['22'] },
  'PPC analyst': { agency: '20-PPC', roles: ['analyst'], units: ['20'] },
  'health caseworker': { agency: '20-HEALTH', roles: ['caseworker'], units: ['20'] },
  'guard auditor': { agency: '20-BORDER_GUARD', roles: ['auditor'], units: ['20'] },
  'police caseworker': { agency: '20-POLICE', roles: ['caseworker'], units: ['20'] },
  'guard supervisor': { agency: '20-BORDER_GUARD', roles: ['supervisor'], units: ['20'] },
} as const;
type Caller = keyof typeof CALLERS;

/**
 * Who is let through, per route (anyone else gets 401 without a token, 403 with one). Lists and
 * registers let another province's guard through to its own province's (empty) answer.
 */
const MATRIX: ReadonlyArray<{ readonly route: string; readonly allowed: readonly Caller[] }> = [
  { route: 'POST /api/v1/records', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/records', allowed: ['guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard'] },
  { route: 'GET /api/v1/records/:id', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/translation', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/reply', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/seal', allowed: ['guard supervisor'] },
  { route: 'GET /api/v1/records/:id/seal', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/records/:id/export.pdf', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/statistics', allowed: ['PPC analyst', 'police caseworker', 'guard supervisor', 'other-province guard'] },
  { route: 'GET /api/v1/statistics/categories', allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard'] },
  { route: 'GET /api/v1/border-crossings', allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard'] },
  { route: 'GET /api/v1/counterpart-units', allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard'] },
];

/** Valid bodies, so that what refuses a caller is the policy or the scope, never validation. */
const BODIES: Readonly<Record<string, unknown>> = {
  '/api/v1/records': handoverBody({ occurredOn: '2020-06-01' }),
  '/api/v1/records/:id/translation': { zh: { title: '纪要', body: '内容' }, agreedPointsZh: [], translator: 'Hoàng Thị Mai' },
  '/api/v1/records/:id/reply': { receivedOn: '2020-06-13' },
  '/api/v1/records/:id/seal': { sealedOn: '2020-06-12' },
};

describe('authorization matrix over HTTP', () => {
  let database: TestDatabase;
  let running: CrossBorderService;
  let recordId: string;
  const tokens = new Map<Caller, string>();

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: crossBorderMigrations });
    running = await startCrossBorderService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    for (const [name, claims] of Object.entries(CALLERS))
      if (claims !== null)
        tokens.set(name as Caller, await signDevToken({ agency: claims.agency, roles: [...claims.roles] as never, units: [...claims.units] }));
    const created = await fetch(`${running.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('guard supervisor')}`, 'content-type': 'application/json' },
      body: JSON.stringify(handoverBody()),
    });
    recordId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('covers every route the service has', async () => {
    expect(findUnguardedHandlers(running.service.app, { policy: crossBorderPolicy })).toEqual([]);
    // Every operation of the OpenAPI document under /api/v1 has a row above, and no row is invented.
    const document = (await (await fetch(`${running.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace('{id}', ':id')}`));
    expect(operations.sort()).toEqual(MATRIX.map((row) => row.route).sort());
  });

  it.each(MATRIX)('$route', async ({ route, allowed }) => {
    const [method, template] = route.split(' ') as [string, string];
    const path = template.replace(':id', recordId);
    const body = method === 'POST' ? BODIES[template] : undefined;
    for (const caller of Object.keys(CALLERS) as Caller[]) {
      const token = tokens.get(caller);
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'if-match': '"0"', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      await response.arrayBuffer();
      const expected = allowed.includes(caller) ? 'through' : token ? 403 : 401;
      const outcome = response.status === 401 || response.status === 403 ? response.status : 'through';
      expect(`${caller}: ${String(outcome)}`).toBe(`${caller}: ${String(expected)}`);
    }
  });
});
