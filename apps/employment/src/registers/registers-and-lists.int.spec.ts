/**
 * Over real HTTP on real PostgreSQL: register edits (change, close) under If-Match; the lists of
 * registers, enrolments and placements (paged, scoped, filtered); the person's own words read back
 * decrypted by those who work on the record, and `[erased]` once cases erased the person.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { CasesIntegrationEventTypes } from '@haidang/contracts';
import { InMemoryDeadLetters, InProcessEventBus, silentLogger } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { employmentMigrations, startEmploymentService, type EmploymentService } from '../employment-service';
import { PersonErasureProcessManager } from '../integration/person-erasure.process-manager';

jest.setTimeout(120_000);

type Reply = { status: number; etag: string | null; contentType: string; body: Record<string, unknown> };
type Item = Record<string, unknown>;

const NOW = new Date('2027-06-30T03:00:00Z'); // 2027-06-30 in Vietnam
const HOME = '06793';
const NEIGHBOUR = '06685'; // another commune of Quảng Ninh

describe('employment registers, lists and the person’s own words', () => {
  let database: TestDatabase;
  let running: EmploymentService;
  let centre: string;
  let commune: string;
  let neighbour: string;
  let provider: string;
  let otherProvince: string;
  const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      contentType: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
  const expectProblem = (reply: Reply, status: number, fields: readonly string[] = []) => {
    expect([reply.status, reply.contentType]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
    for (const field of fields) expect(JSON.stringify(reply.body)).toContain(field);
  };
  /** Polls a list until `until` holds (the read model lags the events). */
  const poll = async (path: string, token: string, until: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    for (;;) {
      const listed = await call('GET', path, token);
      expect([200, 503]).toContain(listed.status);
      if (listed.status === 200 && until(listed.body)) return listed.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const itemsOf = (body: Record<string, unknown>) => body.items as Item[];
  const register = async (path: string, body: object): Promise<string> => {
    const created = await call('POST', path, centre, body);
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const provider$ = (name: string, communeCode = HOME) => ({
    name,
    kind: 'VOCATIONAL_CENTRE',
    communeCode,
    capacity: 40,
    agencyCode: '22-NGO-31',
    registeredOn: '2027-01-04',
  });
  const employer$ = (name: string, taxCode: string) => ({ name, taxCode, communeCode: HOME, sector: 'MANUFACTURING', registeredOn: '2027-01-04' });
  const open = async (communeCode: string, skills = ''): Promise<string> => {
    const created = await call('POST', '/api/v1/employment-records', centre, {
      personId: randomUUID(),
      communeCode,
      openedOn: '2027-02-01',
      need: 'WANTS_WORK',
      skills,
      preferences: skills === '' ? '' : 'Làm ca ngày, gần nhà',
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const step = async (id: string, path: string, version: number, body: object): Promise<Reply> =>
    call('POST', `/api/v1/employment-records/${id}/${path}`, centre, body, { 'if-match': `"${version}"` });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: employmentMigrations });
    running = await startEmploymentService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', clock: () => NOW });
    const token = (agency: string, units: string[]) => signDevToken({ agency, roles: ['caseworker'], units });
    [centre, commune, neighbour, provider, otherProvince] = await Promise.all([
      token('22-EMPLOYMENT_CENTRE', ['22']),
      token(`22-COMMUNE-${HOME}`, [HOME]),
      token(`22-COMMUNE-${NEIGHBOUR}`, [NEIGHBOUR]),
      token('22-NGO-31', ['22']),
      token('20-EMPLOYMENT_CENTRE', ['20']),
    ]);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('changes and closes register entries under If-Match; a closed entry takes no new enrolment or job', async () => {
    const providerId = await register('/api/v1/training-providers', provider$('Trung tâm GDNN Cẩm Phả'));
    const employerId = await register('/api/v1/employers', employer$('Công ty May Cẩm Phả', '5701234567'));
    const change = (path: string, body: object, headers: Record<string, string>, token = centre) => call('POST', path, token, body, headers);

    // If-Match required (428), stale (409); bad fields 400 by name; a commune or another province may not (403).
    expectProblem(await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-03-01', capacity: 60 }, {}), 428);
    expectProblem(await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-03-01', capacity: 60 }, { 'if-match': '"3"' }), 409);
    expectProblem(
      await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-02-30', capacity: 0, kind: 'X', extra: 1 }, { 'if-match': '"0"' }),
      400,
      ['changedOn', 'capacity', 'kind', 'extra'],
    );
    expectProblem(await change(`/api/v1/employers/${employerId}/changes`, { changedOn: '2027-03-01', taxCode: '1' }, { 'if-match': '"0"' }), 400, ['taxCode']);
    expectProblem(
      await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-03-01', capacity: 60 }, { 'if-match': '"0"' }, commune),
      403,
    );
    expectProblem(
      await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-03-01', capacity: 60 }, { 'if-match': '"0"' }, otherProvince),
      403,
    );
    expectProblem(await change(`/api/v1/employers/${randomUUID()}/closure`, { closedOn: '2027-03-01' }, { 'if-match': '"0"' }), 404);
    // Rules of the register: 422 in plain words.
    const sameAsBefore = await change(`/api/v1/training-providers/${providerId}/changes`, { changedOn: '2027-03-01', capacity: 40 }, { 'if-match': '"0"' });
    expectProblem(sameAsBefore, 422);
    expect(sameAsBefore.body.detail).toMatch(/names no field that differs/);
    expectProblem(await change(`/api/v1/employers/${employerId}/changes`, { changedOn: '2027-03-01', communeCode: '05977' }, { 'if-match': '"0"' }), 422);
    expectProblem(await change(`/api/v1/employers/${employerId}/closure`, { closedOn: '2026-12-31' }, { 'if-match': '"0"' }), 422);

    const changed = await change(
      `/api/v1/training-providers/${providerId}/changes`,
      { changedOn: '2027-03-01', capacity: 60, communeCode: NEIGHBOUR, agencyCode: null },
      { 'if-match': '"0"', 'idempotency-key': 'provider-change-1' },
    );
    expect([changed.status, changed.etag, changed.body.version]).toEqual([200, '"1"', 1]);
    const again = await change(
      `/api/v1/training-providers/${providerId}/changes`,
      { changedOn: '2027-03-01', capacity: 60, communeCode: NEIGHBOUR, agencyCode: null },
      { 'if-match': '"0"', 'idempotency-key': 'provider-change-1' },
    );
    expect([again.status, again.body.version]).toEqual([200, 1]);
    const read = await call('GET', `/api/v1/training-providers/${providerId}`, centre);
    expect([read.etag, read.body]).toEqual(['"1"', expect.objectContaining({ capacity: 60, communeCode: NEIGHBOUR, agencyCode: null, status: 'ACTIVE' })]);
    expect(
      (await change(`/api/v1/employers/${employerId}/changes`, { changedOn: '2027-03-01', name: 'Công ty CP May Cẩm Phả' }, { 'if-match': '"0"' })).status,
    ).toBe(200);

    const closedProvider = await change(`/api/v1/training-providers/${providerId}/closure`, { closedOn: '2027-06-01' }, { 'if-match': '"1"' });
    const closedEmployer = await change(`/api/v1/employers/${employerId}/closure`, { closedOn: '2027-06-01' }, { 'if-match': '"1"' });
    expect([closedProvider.status, closedEmployer.status]).toEqual([200, 200]);
    expectProblem(await change(`/api/v1/employers/${employerId}/closure`, { closedOn: '2027-06-02' }, { 'if-match': '"2"' }), 422);

    // The closed entries turn away a new enrolment and a new job (422), and the record stays as it was.
    const recordId = await open(HOME);
    const enrol = await step(recordId, 'enrolments', 0, {
      tradeCode: 'SEWING',
      providerId,
      level: 'ELEMENTARY',
      startOn: '2027-06-15',
      expectedEndOn: '2027-09-15',
      funding: 'SELF_PAID',
    });
    expectProblem(enrol, 422);
    expect(enrol.body.detail).toMatch(/closed/);
    const job = await step(recordId, 'placements', 0, {
      employerId,
      jobTitle: 'Thợ may',
      contractType: 'SEASONAL',
      startOn: '2027-06-15',
      wageBand: '4M_TO_6M',
    });
    expectProblem(job, 422);
    expect((await call('GET', `/api/v1/employment-records/${recordId}`, centre)).etag).toBe('"0"');

    // The lists show the entries as they stand, filtered.
    const closed = await poll('/api/v1/training-providers?status=CLOSED&kind=VOCATIONAL_CENTRE', commune, (body) =>
      itemsOf(body).some((i) => i.id === providerId),
    );
    expect(itemsOf(closed).find((i) => i.id === providerId)).toMatchObject({ status: 'CLOSED', closedOn: '2027-06-01', capacity: 60, version: 2 });
    expect(itemsOf(await poll('/api/v1/training-providers?status=ACTIVE', centre, () => true)).some((i) => i.id === providerId)).toBe(false);
    const employers = await poll(`/api/v1/employers?sector=MANUFACTURING&communeCode=${HOME}`, centre, (body) =>
      itemsOf(body).some((i) => i.id === employerId && i.status === 'CLOSED'),
    );
    expect(employers).toMatchObject({ page: 1, pageSize: 50, total: 1 });
    expect(itemsOf(employers)[0]).toMatchObject({ name: 'Công ty CP May Cẩm Phả', closedOn: '2027-06-01' });
    expect((await call('GET', '/api/v1/employers', otherProvince)).body).toMatchObject({ total: 0, items: [] });
    expectProblem(await call('GET', '/api/v1/employers?status=GONE&page=0', centre), 400, ['status', 'page']);
  });

  it('lists enrolments and placements across records: paged, scoped to the commune, filtered', async () => {
    const providerId = await register('/api/v1/training-providers', provider$('Trường Trung cấp Nghề Hòn Gai'));
    const employerId = await register('/api/v1/employers', employer$('Công ty Cơ khí Hòn Gai', '5709876543'));
    // 23 records at home, 2 in the neighbouring commune: a training each; every third at home also a job.
    const home = await Promise.all(Array.from({ length: 23 }, () => open(HOME)));
    const away = await Promise.all(Array.from({ length: 2 }, () => open(NEIGHBOUR)));
    for (const [index, id] of [...home, ...away].entries()) {
      const enrolled = await step(id, 'enrolments', 0, {
        tradeCode: index % 2 === 0 ? 'WELDING' : 'SEWING',
        providerId,
        level: 'UNDER_3_MONTHS',
        startOn: `2027-03-${String((index % 28) + 1).padStart(2, '0')}`,
        expectedEndOn: '2027-06-29',
        funding: 'STATE_SUPPORT_AFTER_REHAB',
      });
      expect(enrolled.status).toBe(200);
      if (index < 23 && index % 3 === 0) {
        const started = await step(id, 'placements', 1, {
          employerId,
          jobTitle: 'Thợ cơ khí',
          contractType: index % 2 === 0 ? 'FIXED_TERM' : 'INDEFINITE',
          startOn: '2027-05-03',
          wageBand: '6M_TO_8M',
          loan: { programme: 'JOB_CREATION', amountBand: 'UP_TO_50M' },
        });
        expect(started.status).toBe(200);
      }
    }
    const jobs = 8; // records 0, 3, …, 21
    const onlyHere = `providerId=${providerId}`;

    // The centre: every enrolment at the provider, 50 a page; pages neither repeat nor skip.
    const all = await poll(`/api/v1/employment/enrolments?${onlyHere}`, centre, (body) => body.total === 25);
    expect(itemsOf(all)).toHaveLength(25);
    expect(itemsOf(all)[0]).toEqual({
      enrolmentId: expect.any(String),
      recordId: expect.any(String),
      providerId,
      communeCode: expect.any(String),
      tradeCode: expect.any(String),
      level: 'UNDER_3_MONTHS',
      startOn: expect.any(String),
      expectedEndOn: '2027-06-29',
      funding: 'STATE_SUPPORT_AFTER_REHAB',
      status: 'ENROLLED',
      endedOn: null,
      dropoutReason: null,
    });
    const starts = itemsOf(all).map((i) => i.startOn as string);
    expect(starts).toEqual([...starts].sort().reverse());
    // The commune: only its own records' enrolments; another commune asked for is refused.
    const atHome = await call('GET', `/api/v1/employment/enrolments?${onlyHere}`, commune);
    expect(atHome.body).toMatchObject({ total: 23 });
    expect(itemsOf(atHome.body).every((i) => i.communeCode === HOME)).toBe(true);
    expectProblem(await call('GET', `/api/v1/employment/enrolments?communeCode=${HOME}`, neighbour), 403);
    expect((await call('GET', `/api/v1/employment/enrolments?${onlyHere}`, neighbour)).body).toMatchObject({ total: 2 });
    // Filters: trade, start window; a page past the end keeps the total.
    const welding = await call('GET', `/api/v1/employment/enrolments?${onlyHere}&tradeCode=WELDING&communeCode=${HOME}`, centre);
    expect(welding.body).toMatchObject({ total: 12 });
    const window = await call('GET', `/api/v1/employment/enrolments?${onlyHere}&from=2027-03-01&to=2027-03-05`, centre);
    expect(itemsOf(window.body).every((i) => (i.startOn as string) <= '2027-03-05')).toBe(true);
    expect(window.body.total).toBe(5);
    expect((await call('GET', `/api/v1/employment/enrolments?${onlyHere}&page=3`, centre)).body).toMatchObject({ page: 3, total: 25, items: [] });
    expectProblem(await call('GET', '/api/v1/employment/enrolments?status=DONE&tradeCode=ASTRONAUT&from=2027-02-30&providerId=7', centre), 400, [
      'status',
      'tradeCode',
      'from',
      'providerId',
    ]);

    // Placements: the jobs, by employer and contract type; the provider (NGO) sees none of these lists.
    const placed = await poll(`/api/v1/employment/placements?employerId=${employerId}`, centre, (body) => body.total === jobs);
    expect(itemsOf(placed)[0]).toEqual({
      placementId: expect.any(String),
      recordId: expect.any(String),
      employerId,
      communeCode: HOME,
      contractType: expect.stringMatching(/^(FIXED_TERM|INDEFINITE)$/),
      wageBand: '6M_TO_8M',
      loanProgramme: 'JOB_CREATION',
      startOn: '2027-05-03',
      status: 'WORKING',
      endedOn: null,
      leaveReason: null,
    });
    expect((await call('GET', `/api/v1/employment/placements?employerId=${employerId}&contractType=FIXED_TERM`, commune)).body).toMatchObject({ total: 4 });
    expect((await call('GET', `/api/v1/employment/placements?employerId=${employerId}`, neighbour)).body).toMatchObject({ total: 0 });
    expectProblem(await call('GET', '/api/v1/employment/placements', provider), 403);
    expectProblem(await call('GET', '/api/v1/employment/enrolments', provider), 403);

    // A job left shows as LEFT with its reason.
    const first = home[0] as string;
    const record = (await call('GET', `/api/v1/employment-records/${first}`, centre)).body;
    const placementId = (record.placements as Item[])[0]?.placementId as string;
    expect((await step(first, 'job-departures', 2, { placementId, leftOn: '2027-06-20', reason: 'CONTRACT_ENDED' })).status).toBe(200);
    const left = await poll(`/api/v1/employment/placements?employerId=${employerId}&status=LEFT`, centre, (body) => body.total === 1);
    expect(itemsOf(left)[0]).toMatchObject({ placementId, recordId: first, status: 'LEFT', endedOn: '2027-06-20', leaveReason: 'CONTRACT_ENDED' });
    // Records are paged the same way (20 a page).
    expect((await call('GET', `/api/v1/employment-records?communeCode=${HOME}&page=2`, centre)).body).toMatchObject({ page: 2, pageSize: 20 });
  });

  it('reads the person’s skills, preferences and certificates back decrypted, for the centre and the commune only; `[erased]` after erasure', async () => {
    const providerId = await register('/api/v1/training-providers', provider$('Trường Cao đẳng Việt – Hàn Quảng Ninh'));
    const recordId = await open(HOME, 'Biết hàn hồ quang, từng làm phụ hồ');
    const assessed = await step(recordId, 'need-assessments', 0, {
      assessedOn: '2027-02-03',
      need: 'WANTS_TRAINING',
      skills: 'Hàn hồ quang; lái xe máy',
      preferences: 'Học nghề gần nhà, ca ngày',
    });
    expect(assessed.status).toBe(200);
    expect(
      (
        await step(recordId, 'enrolments', 1, {
          tradeCode: 'WELDING',
          providerId,
          level: 'UNDER_3_MONTHS',
          startOn: '2027-02-10',
          expectedEndOn: '2027-05-10',
          funding: 'STATE_SUPPORT_AFTER_REHAB',
        })
      ).status,
    ).toBe(200);
    const enrolmentId = ((await call('GET', `/api/v1/employment-records/${recordId}`, centre)).body.enrolments as Item[])[0]?.enrolmentId;
    expect((await step(recordId, 'training-completions', 2, { enrolmentId, completedOn: '2027-05-09', certificateNumber: 'QN-2027-004321' })).status).toBe(200);

    const expected = {
      id: recordId,
      version: 3,
      erased: false,
      statedOn: '2027-02-03',
      skills: 'Hàn hồ quang; lái xe máy',
      preferences: 'Học nghề gần nhà, ca ngày',
      certificates: [{ enrolmentId, certificateNumber: 'QN-2027-004321' }],
    };
    for (const token of [centre, commune]) {
      const profile = await call('GET', `/api/v1/employment-records/${recordId}/profile`, token);
      expect([profile.status, profile.etag, profile.body]).toEqual([200, '"3"', expected]);
    }
    // The record's ordinary read never carries the free text; neighbours, providers and other provinces get nothing.
    expect(JSON.stringify((await call('GET', `/api/v1/employment-records/${recordId}`, centre)).body)).not.toMatch(/Hàn hồ quang|QN-2027/);
    for (const token of [neighbour, provider, otherProvince]) expectProblem(await call('GET', `/api/v1/employment-records/${recordId}/profile`, token), 403);
    expectProblem(await call('GET', `/api/v1/employment-records/${randomUUID()}/profile`, centre), 404);
    expectProblem(await call('GET', '/api/v1/employment-records/not-a-uuid/profile', centre), 400);

    // Cases erases the person: its integration event shreds the key here (a redelivery changes nothing).
    const subject = (
      await database.pool.query<{ person: string }>(`SELECT data->>'personId' AS person FROM es_events WHERE stream_name = $1 AND stream_revision = 0`, [
        `EmploymentRecord-${recordId}`,
      ])
    ).rows[0]?.person as string;
    const erasures = new PersonErasureProcessManager({
      bus: new InProcessEventBus(),
      protector: running.protector,
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
    });
    const erased = {
      id: randomUUID(),
      type: CasesIntegrationEventTypes.PersonErasedV1,
      schemaVersion: 1,
      streamId: 'x',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      created: NOW,
      data: { type: CasesIntegrationEventTypes.PersonErasedV1, version: 1, eventId: randomUUID(), personId: subject, occurredAt: NOW.toISOString() },
      metadata: {},
    };
    await erasures.erasePerson(erased as never);
    await erasures.erasePerson(erased as never);
    const after = await call('GET', `/api/v1/employment-records/${recordId}/profile`, centre);
    expect([after.status, after.body]).toEqual([
      200,
      { ...expected, erased: true, skills: '[erased]', preferences: '[erased]', certificates: [{ enrolmentId, certificateNumber: '[erased]' }] },
    ]);
    // The record itself (codes and dates) still reads.
    expect((await call('GET', `/api/v1/employment-records/${recordId}`, centre)).body).toMatchObject({ status: 'OPEN', need: 'WANTS_TRAINING' });
  });
});
