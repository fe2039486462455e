/**
 * Issue 10 §3 and §12 over HTTP on a real service (cases), started through the service kit the way
 * every service is: GET /api/v1/integrity for auditors only, a signed checkpoint on demand, an SQL
 * UPDATE of a payload reported with its stream and revision, as a security event (a warn line with
 * no personal data) and in /metrics; and the break-glass routes: request with a reason and a
 * duration of at most 4 hours, the owning agency's list, expiry.
 */
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';

jest.setTimeout(120_000);

const cases = (require(join(__dirname, '..', '..', 'apps', 'cases', DESCRIPTOR_FILE)) as { service: ServiceDefinition }).service;
const T0 = new Date('2026-12-06T02:00:00Z');
const FULL_NAME = 'Trần Thị Kiểm Toán';
const REASON = 'Person brought in unconscious at the border post; treatment history needed';

describe('integrity and break-glass routes of a service', () => {
  let database: TestDatabase;
  let running: RunningService;
  let now = T0;
  const tokens: Record<string, string> = {};
  let personId: string;
  const stderr: string[] = [];

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (text && text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...PLATFORM_MIGRATIONS, ...(cases.migrations ?? [])] });
    const write = process.stderr.write.bind(process.stderr);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return write(chunk as never, ...(rest as []));
    });
    running = await startService(cases, { databaseUrl: database.url, port: 0, logLevel: 'warn', natsUrl: '', clock: () => now });
    const sign = (agency: string, role: string, units: string[]) => signDevToken({ agency, roles: [role] as never, units });
    Object.assign(tokens, {
      auditor: await sign('22-HOME_AFFAIRS', 'auditor', ['22']),
      commune: await sign('22-COMMUNE-06793', 'caseworker', ['06793']),
      communeSupervisor: await sign('22-COMMUNE-06793', 'supervisor', ['06793']),
      otherCommuneSupervisor: await sign('22-COMMUNE-07000', 'supervisor', ['07000']),
      police: await sign('20-POLICE', 'caseworker', ['20']),
      policeAuditor: await sign('20-POLICE', 'auditor', ['20']),
    });
    const registered = await call('POST', '/api/v1/persons', tokens['commune'], {
      fullName: FULL_NAME,
      dateOfBirth: '1990-05-01',
      sex: 'FEMALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 5' },
    });
    expect(registered.status).toBe(201);
    personId = registered.body['id'] as string;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
    jest.restoreAllMocks();
  });

  describe('break-glass', () => {
    const request = (token: string | undefined, body: Record<string, unknown>) => call('POST', '/api/v1/break-glass', token, body);

    it('refuses a missing or short reason, a duration over 4 hours, an unknown record, field by field', async () => {
      const subjectId = `Person-${personId}`;
      const short = await request(tokens['police'], { subjectId, reason: 'urgent', durationMinutes: 60 });
      expect(short.status).toBe(400);
      expect(short.type).toContain('application/problem+json');
      expect(short.body['errors']).toEqual([expect.objectContaining({ field: 'reason' })]);
      const long = await request(tokens['police'], { subjectId, reason: REASON, durationMinutes: 241 });
      expect(long.body['errors']).toEqual([expect.objectContaining({ field: 'durationMinutes' })]);
      expect((await request(tokens['police'], { subjectId: 'Person-0193b0c4-0000-7000-8000-00000000dead', reason: REASON, durationMinutes: 60 })).status).toBe(
        404,
      );
      // The audit trail itself is not a record to break the glass on.
      expect((await request(tokens['police'], { subjectId: `AccessLog-${personId}`, reason: REASON, durationMinutes: 60 })).status).toBe(404);
      expect((await request(undefined, { subjectId, reason: REASON, durationMinutes: 60 })).status).toBe(401);
      expect((await request(tokens['policeAuditor'], { subjectId, reason: REASON, durationMinutes: 60 })).status).toBe(403);
      // The owner needs no break-glass on its own record.
      expect((await request(tokens['commune'], { subjectId, reason: REASON, durationMinutes: 60 })).status).toBe(422);
      expect((await call('GET', '/api/v1/break-glass', tokens['communeSupervisor'])).body['items']).toEqual([]);
    });

    it('opens a grant of the asked duration, shows it to the owning agency only, and lets it expire', async () => {
      const opened = await request(tokens['police'], { subjectId: `Person-${personId}`, reason: REASON, durationMinutes: 90 });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({
        subjectId: `Person-${personId}`,
        requestedBy: { agency: '20-POLICE' },
        owningAgency: '22-COMMUNE-06793',
        reason: REASON,
        openedAt: T0.toISOString(),
        expiresAt: new Date(T0.getTime() + 90 * 60_000).toISOString(),
        active: true,
      });
      const grantId = opened.body['grantId'] as string;
      const owner = await call('GET', '/api/v1/break-glass?active=true', tokens['communeSupervisor']);
      expect(owner.body['items']).toEqual([expect.objectContaining({ grantId, active: true })]);
      expect((await call('GET', '/api/v1/break-glass', tokens['otherCommuneSupervisor'])).body['items']).toEqual([]);
      expect((await call('GET', '/api/v1/break-glass', tokens['police'])).status).toBe(403);
      // Recorded: an event in the log, attributed; a security event on stderr; a counter.
      const { rows } = await database.pool.query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM es_events WHERE stream_name = $1`, [
        `BreakGlass-Person-${personId}`,
      ]);
      expect(rows).toEqual([{ metadata: expect.objectContaining({ agency: '20-POLICE' }) }]);
      expect(stderr.join('')).toContain('"securityEvent":"break-glass-opened"');
      expect(await (await fetch(`${running.url}/metrics`)).text()).toMatch(/haidang_break_glass_grants_total\{service="cases"\} 1/);

      now = new Date(T0.getTime() + 90 * 60_000);
      expect((await call('GET', '/api/v1/break-glass?active=true', tokens['communeSupervisor'])).body['items']).toEqual([]);
      expect((await call('GET', '/api/v1/break-glass', tokens['communeSupervisor'])).body['items']).toEqual([
        expect.objectContaining({ grantId, active: false }),
      ]);
      now = T0;
    });
  });

  describe('GET /api/v1/integrity', () => {
    it('answers auditors only', async () => {
      expect((await call('GET', '/api/v1/integrity', undefined)).status).toBe(401);
      expect((await call('GET', '/api/v1/integrity', tokens['commune'])).status).toBe(403);
      expect((await call('POST', '/api/v1/integrity/checkpoints', tokens['commune'])).status).toBe(403);
      // A checkpoint over what the tests wrote, whether or not the one made at start saw it.
      expect((await call('POST', '/api/v1/integrity/checkpoints', tokens['auditor'])).status).toBe(201);
      const report = await call('GET', '/api/v1/integrity', tokens['auditor']);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ service: 'cases', intact: true, firstBreak: null });
    });

    it('signs a checkpoint on demand, then reports an SQL UPDATE of a payload with its stream and revision, logged and counted', async () => {
      const checkpoint = await call('POST', '/api/v1/integrity/checkpoints', tokens['auditor']);
      expect(checkpoint.status).toBe(201);
      expect(checkpoint.body).toMatchObject({ created: true, checkpoint: { sequence: expect.any(Number), keyId: expect.any(String) } });
      const clean = await call('GET', '/api/v1/integrity', tokens['auditor']);
      expect(clean.body).toMatchObject({ intact: true, checkpoints: { verified: expect.any(Number), latest: { events: clean.body['eventsChecked'] } } });

      const stream = `Person-${personId}`;
      const updated = await database.pool.query(
        `UPDATE es_events SET data = (replace(data::text, 'FEMALE', 'MALE'))::json WHERE stream_name = $1 AND stream_revision = 0`,
        [stream],
      );
      expect(updated.rowCount).toBe(1);
      const broken = await call('GET', '/api/v1/integrity', tokens['auditor']);
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ intact: false, firstBreak: { reason: 'hash-mismatch', streamName: stream, revision: '0' } });
      expect(await (await fetch(`${running.url}/metrics`)).text()).toMatch(/haidang_integrity_breaks_total\{service="cases",reason="hash-mismatch"\} [1-9]/);
      const line = stderr.find((l) => l.includes('"securityEvent":"integrity-break"'));
      expect(line).toBeDefined();
      expect(JSON.parse(line as string)).toMatchObject({ level: 'warn', firstStream: stream, firstReason: 'hash-mismatch' });
      expect(stderr.join('')).not.toContain(FULL_NAME);
      // Nothing is signed over a broken log.
      const refused = await call('POST', '/api/v1/integrity/checkpoints', tokens['auditor']);
      expect(refused.status).toBe(409);
      expect(refused.type).toContain('application/problem+json');
    });
  });
});
