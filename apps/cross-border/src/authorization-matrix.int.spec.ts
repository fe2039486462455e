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
import { handedOverPersonIdFor } from './handed-over-person/handed-over-person.aggregate';

jest.setTimeout(120_000);

const CALLERS = {
  anonymous: null,
  'other-province guard': { agency: '22-BORDER_GUARD', roles: ['supervisor'], units: ['22'] },
  'PPC analyst': { agency: '20-PPC', roles: ['analyst'], units: ['20'] },
  'health caseworker': { agency: '20-HEALTH', roles: ['caseworker'], units: ['20'] },
  'guard auditor': { agency: '20-BORDER_GUARD', roles: ['auditor'], units: ['20'] },
  'police caseworker': { agency: '20-POLICE', roles: ['caseworker'], units: ['20'] },
  'guard supervisor': { agency: '20-BORDER_GUARD', roles: ['supervisor'], units: ['20'] },
  'foreign affairs': { agency: '20-FOREIGN_AFFAIRS', roles: ['caseworker'], units: ['20'] },
  'guard data protection': { agency: '20-BORDER_GUARD', roles: ['data-protection'], units: ['20'] },
} as const;
type Caller = keyof typeof CALLERS;

/**
 * Who is let through, per route (anyone else gets 401 without a token, 403 with one). Lists and
 * registers let another province's guard through to its own province's (empty) answer.
 */
const MATRIX: ReadonlyArray<{ readonly route: string; readonly allowed: readonly Caller[] }> = [
  { route: 'POST /api/v1/records', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/records', allowed: ['guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard', 'foreign affairs'] },
  { route: 'GET /api/v1/records/:id', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/translation', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/reply', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/seal', allowed: ['guard supervisor'] },
  { route: 'GET /api/v1/records/:id/seal', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/records/:id/export.pdf', allowed: ['guard auditor', 'police caseworker', 'guard supervisor'] },
  { route: 'GET /api/v1/statistics', allowed: ['PPC analyst', 'police caseworker', 'guard supervisor', 'other-province guard'] },
  {
    route: 'GET /api/v1/statistics/categories',
    allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard', 'foreign affairs'],
  },
  {
    route: 'GET /api/v1/border-crossings',
    allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard', 'foreign affairs'],
  },
  {
    route: 'GET /api/v1/counterpart-units',
    allowed: ['PPC analyst', 'guard auditor', 'police caseworker', 'guard supervisor', 'other-province guard', 'foreign affairs'],
  },
  { route: 'POST /api/v1/handed-over-persons/:id/erasure', allowed: ['guard data protection'] },
];

/**
 * The routes that read one record, on a meeting of the province: foreign affairs reads meetings (the
 * rows above are on a handover, which it may not read).
 */
const MEETING_MATRIX: ReadonlyArray<{ readonly route: string; readonly allowed: readonly Caller[] }> = [
  { route: 'GET /api/v1/records/:id', allowed: ['guard auditor', 'police caseworker', 'guard supervisor', 'foreign affairs'] },
  { route: 'GET /api/v1/records/:id/seal', allowed: ['guard auditor', 'police caseworker', 'guard supervisor', 'foreign affairs'] },
  { route: 'GET /api/v1/records/:id/export.pdf', allowed: ['guard auditor', 'police caseworker', 'guard supervisor', 'foreign affairs'] },
  { route: 'POST /api/v1/records/:id/translation', allowed: ['police caseworker', 'guard supervisor'] },
  { route: 'POST /api/v1/records/:id/seal', allowed: ['guard supervisor'] },
];

/** Valid bodies, so that what refuses a caller is the policy or the scope, never validation. */
const BODIES: Readonly<Record<string, unknown>> = {
  '/api/v1/records': handoverBody({ occurredOn: '2020-06-01' }),
  '/api/v1/records/:id/translation': { zh: { title: '纪要', body: '内容' }, agreedPointsZh: [], translator: 'Hoàng Thị Mai' },
  '/api/v1/records/:id/reply': { receivedOn: '2020-06-13' },
  '/api/v1/records/:id/seal': { sealedOn: '2020-06-12' },
  '/api/v1/handed-over-persons/:id/erasure': { reference: 'DP-2026-011' },
};

describe('authorization matrix over HTTP', () => {
  let database: TestDatabase;
  let running: CrossBorderService;
  let recordId: string;
  let meetingId: string;
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
    const meeting = await fetch(`${running.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('guard supervisor')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'MEETING',
        provinceCode: '20',
        occurredOn: '2019-03-20',
        counterpartCodes: ['GX-PSD'],
        vi: { title: 'Hội đàm', body: 'Hai bên thống nhất tuần tra song phương.' },
        meeting: { level: 'PROVINCE', place: 'Cửa khẩu Hữu Nghị', agreedPoints: [{ vi: 'Tuần tra song phương mỗi quý' }] },
      }),
    });
    expect(meeting.status).toBe(201);
    meetingId = ((await meeting.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('covers every route the service has', async () => {
    // Against the policy the app runs with: the service's own actions (crossBorderPolicy) and the platform's.
    expect(findUnguardedHandlers(running.service.app)).toEqual([]);
    for (const action of crossBorderPolicy.actions) expect(action).toMatch(/^(records|statistics|registers|persons)\./);
    // Every operation of the OpenAPI document under /api/v1 has a row above, and no row is invented; the
    // platform's routes every service has (integrity, break-glass) are the kit's, with their own matrix.
    const document = (await (await fetch(`${running.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/') && !/^\/api\/v1\/(integrity|break-glass)(\/|$)/.test(path))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace('{id}', ':id')}`));
    expect(operations.sort()).toEqual(MATRIX.map((row) => row.route).sort());
  });

  it.each([...MATRIX.map((row) => ({ ...row, on: 'handover' as const })), ...MEETING_MATRIX.map((row) => ({ ...row, on: 'meeting' as const }))])(
    '$route ($on)',
    async ({ route, allowed, on }) => {
      const [method, template] = route.split(' ') as [string, string];
      const id = template.startsWith('/api/v1/handed-over-persons/') ? handedOverPersonIdFor(recordId, 0) : on === 'meeting' ? meetingId : recordId;
      const path = template.replace(':id', id);
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
    },
  );
});
