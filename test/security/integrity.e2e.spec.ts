/**
 * Issue 10 §3 and §12 over HTTP on a real service (cases), started through the service kit the way
 * every service is: GET /api/v1/integrity for auditors only, a signed checkpoint on demand, an SQL
 * UPDATE of a payload reported with its stream and revision, as a security event (a warn line with
 * no personal data) and in /metrics; and the break-glass routes: request with a reason and a
 * duration of at most 4 hours, the owning agency's list, expiry. And reads of single aggregates
 * verifying their own chain: a tampered case is refused (503 `integrity-check-failed`) to reads and
 * commands alike, logged as a security event without its payload and counted in /metrics.
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
  // After the whole-log checks above (which leave a Person stream tampered): a person of its own.
  describe('reads of a single aggregate verify its chain', () => {
    const DECISION_NO = '57/QĐ-UBND-BLHT';
    let readerPersonId: string;
    const readBreaks = async (): Promise<number> => {
      const text = await (await fetch(`${running.url}/metrics`)).text();
      const line = /haidang_integrity_read_breaks_total\{service="cases",stream_category="RehabCase"\} (\d+)/.exec(text);
      return Number(line?.[1] ?? 0);
    };
    /** A new case (two events, never loaded yet: no state of it is cached). */
    const registerCase = async (): Promise<string> => {
      const created = await call('POST', '/api/v1/rehab-cases', tokens['commune'], {
        personId: readerPersonId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: DECISION_NO, decisionDate: '2026-11-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      });
      expect(created.status).toBe(201);
      return created.body['id'] as string;
    };
    const readCase = (id: string) => call('GET', `/api/v1/rehab-cases/${id}`, tokens['commune']);
    /** A command on the case at `version` (If-Match), as a caseworker sends it. */
    const determineAddiction = async (id: string, version: number) => {
      const response = await fetch(`${running.url}/api/v1/rehab-cases/${id}/addiction-determination`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens['commune']}`, 'if-match': `"${version}"` },
        body: JSON.stringify({ determinedOn: '2026-11-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }),
      });
      const text = await response.text();
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    const expectRefused = (reply: { status: number; type: string; body: Record<string, unknown> }) => {
      expect(reply.status).toBe(503);
      expect(reply.type).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ status: 503, type: expect.stringMatching(/integrity-check-failed$/) });
      expect(JSON.stringify(reply.body)).not.toContain(DECISION_NO);
    };

    beforeAll(async () => {
      const registered = await call('POST', '/api/v1/persons', tokens['commune'], {
        fullName: 'Lê Văn Đọc',
        dateOfBirth: '1988-02-03',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 9' },
      });
      expect(registered.status).toBe(201);
      readerPersonId = registered.body['id'] as string;
    });

    it('serves untouched cases as before, and counts nothing', async () => {
      const before = await readBreaks();
      const id = await registerCase();
      const read = await readCase(id);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, version: 1 });
      expect((await readCase(id)).status).toBe(200);
      expect((await call('GET', `/api/v1/rehab-cases/${id}/history`, tokens['commune'])).status).toBe(200);
      expect(await readBreaks()).toBe(before);
    });

    it('refuses a case whose event data was changed by SQL, to a read and to a command; logs it without the payload and counts it', async () => {
      const id = await registerCase();
      const untouched = await registerCase();
      const stream = `RehabCase-${id}`;
      const before = await readBreaks();
      const logged = stderr.length;
      const updated = await database.pool.query(
        `UPDATE es_events SET data = replace(data::text, '2026-11-03', '2026-11-02')::json WHERE stream_name = $1 AND stream_revision = 0`,
        [stream],
      );
      expect(updated.rowCount).toBe(1);

      expectRefused(await readCase(id));
      expect(await readBreaks()).toBe(before + 1);
      const lines = stderr.slice(logged).filter((l) => l.includes('"securityEvent":"integrity-read-break"'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        level: 'warn',
        security: true,
        service: 'cases',
        stream,
        streamCategory: 'RehabCase',
        revision: '0',
        reason: 'hash-mismatch',
      });
      for (const text of [DECISION_NO, '2026-11-02', '2026-11-03', 'Lê Văn Đọc', 'VOLUNTARY_COMMUNITY']) expect(lines[0]).not.toContain(text);

      expectRefused(await determineAddiction(id, 1));
      expect(await readBreaks()).toBe(before + 2);
      const { rows } = await database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM es_events WHERE stream_name = $1`, [stream]);
      expect(rows[0]?.n).toBe('2');
      // Another case of the same person is served as before.
      expect((await readCase(untouched)).status).toBe(200);
    });

    it('refuses a case with an event whose hash was set to NULL', async () => {
      const id = await registerCase();
      const before = await readBreaks();
      await database.pool.query(`UPDATE es_events SET hash = NULL WHERE stream_name = $1 AND stream_revision = 1`, [`RehabCase-${id}`]);
      expectRefused(await readCase(id));
      expect(await readBreaks()).toBe(before + 1);
      expect(stderr.filter((l) => l.includes('"securityEvent":"integrity-read-break"')).at(-1)).toContain('"reason":"unchained"');
    });

    it('refuses a case with an event deleted from the middle, also when its earlier state is cached', async () => {
      const id = await registerCase();
      const loaded = await readCase(id); // cached at version 1
      expect(loaded.status).toBe(200);
      expect((await determineAddiction(id, 1)).status).toBe(200);
      const before = await readBreaks();
      await database.pool.query(`DELETE FROM es_events WHERE stream_name = $1 AND stream_revision = 1`, [`RehabCase-${id}`]);
      expectRefused(await readCase(id));
      expect(await readBreaks()).toBe(before + 1);
      expect(stderr.filter((l) => l.includes('"securityEvent":"integrity-read-break"')).at(-1)).toContain('"reason":"revision-gap"');
    });
  });
});
