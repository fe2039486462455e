/**
 * The employment API over real HTTP against real PostgreSQL: the registers, opening a record, every
 * step (counselling, enrolment, dropout, completion, placement, follow-up, leaving, closure), the
 * follow-up list (due and overdue on the working-day calendar), a provider's enrolments; If-Match
 * (428, 409), ETag, Idempotency-Key replay, 400 field by field, 401 / 403 / 404 / 422, the personal
 * text never in the clear in the log, and no route without a policy action.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { employmentPolicy } from '../employment.policy';
import { employmentMigrations, startEmploymentService, type EmploymentService } from '../employment-service';

jest.setTimeout(120_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };
type Item = Record<string, unknown>;

const NOW = new Date('2027-06-30T03:00:00Z'); // 2027-06-30 in Vietnam

describe('employment API', () => {
  let database: TestDatabase;
  let running: EmploymentService;
  let centre: string;
  let commune: string;
  let providerId: string;
  let employerId: string;
  const SKILLS = 'Biết hàn hồ quang, từng làm phụ hồ ở Cẩm Phả';
  const token = (agency: string, units: string[], roles: string[] = ['caseworker']) => signDevToken({ agency, roles: roles as never, units });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${running.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const eventCount = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'EmploymentRecord-%'`)).rows[0]?.n);
  const opening = (over: Record<string, unknown> = {}) => ({
    personId: crypto.randomUUID(),
    communeCode: '06793',
    openedOn: '2026-08-03',
    need: 'WANTS_TRAINING',
    skills: SKILLS,
    preferences: 'Ca ngày',
    ...over,
  });
  const open = async (over: Record<string, unknown> = {}, as = centre) => {
    const created = await call('POST', '/api/v1/employment-records', { token: as, body: opening(over) });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '' };
  };
  /** A step under If-Match; returns the reply. */
  const step = (id: string, path: string, etag: string, body: unknown, headers: Record<string, string> = {}, as = centre) =>
    call('POST', `/api/v1/employment-records/${id}/${path}`, { token: as, body, headers: { 'if-match': etag, ...headers } });
  const read = async (id: string) => (await call('GET', `/api/v1/employment-records/${id}`, { token: centre })).body;
  /** Polls a read-model list until `until` holds (jest's timeout bounds it). */
  const poll = async (path: string, as: string, until: (items: Item[]) => boolean): Promise<Item[]> => {
    for (;;) {
      const listed = await call('GET', path, { token: as });
      expect([200, 503]).toContain(listed.status);
      const items = listed.status === 200 ? (listed.body.items as Item[]) : [];
      if (until(items)) return items;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const enrolment = () => ({
    tradeCode: 'WELDING',
    providerId,
    level: 'UNDER_3_MONTHS',
    startOn: '2026-09-01',
    expectedEndOn: '2026-11-30',
    funding: 'STATE_SUPPORT_AFTER_REHAB',
  });
  const placement = (over: Record<string, unknown> = {}) => ({
    employerId,
    jobTitle: 'Thợ hàn',
    contractType: 'FIXED_TERM',
    startOn: '2026-12-01',
    wageBand: '6M_TO_8M',
    loan: { programme: 'JOB_CREATION', amountBand: 'UP_TO_50M' },
    ...over,
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: employmentMigrations });
    running = await startEmploymentService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', clock: () => NOW });
    [centre, commune] = await Promise.all([token('22-EMPLOYMENT_CENTRE', ['22']), token('22-COMMUNE-06793', ['06793'])]);
    const provider = await call('POST', '/api/v1/training-providers', {
      token: centre,
      body: {
        name: 'Trường Cao đẳng Than – Khoáng sản',
        kind: 'VOCATIONAL_SCHOOL',
        communeCode: '06793',
        capacity: 120,
        agencyCode: '22-NGO-7',
        registeredOn: '2026-08-01',
      },
    });
    expect(provider.status).toBe(201);
    providerId = provider.body.id as string;
    const employer = await call('POST', '/api/v1/employers', {
      token: centre,
      body: { name: 'Công ty Than Cọc Sáu', taxCode: '5700100256', communeCode: '06793', sector: 'MINING', registeredOn: '2026-08-01' },
    });
    expect(employer.status).toBe(201);
    employerId = employer.body.id as string;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('keeps the registers: 201 with Location, read back with ETag, listed for the province, 400 field by field, 403 to a commune', async () => {
    const got = await call('GET', `/api/v1/training-providers/${providerId}`, { token: commune });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"0"');
    expect(got.body).toMatchObject({ providerId, kind: 'VOCATIONAL_SCHOOL', provinceCode: '22', capacity: 120, agencyCode: '22-NGO-7' });
    expect((await call('GET', `/api/v1/employers/${employerId}`, { token: centre })).body).toMatchObject({ taxCode: '5700100256', sector: 'MINING' });
    expect((await call('GET', `/api/v1/employers/${crypto.randomUUID()}`, { token: centre })).status).toBe(404);
    await poll('/api/v1/training-providers', centre, (items) => items.some((i) => i.id === providerId));
    await poll('/api/v1/employers', commune, (items) => items.some((i) => i.id === employerId));
    const bad = await call('POST', '/api/v1/employers', {
      token: centre,
      body: { name: '', taxCode: '12', communeCode: 'x', sector: 'SPACE', registeredOn: '2026-13-01' },
    });
    expect(bad.status).toBe(400);
    for (const field of ['name', 'taxCode', 'communeCode', 'sector', 'registeredOn'])
      expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const badProvider = await call('POST', '/api/v1/training-providers', {
      token: centre,
      body: { name: 'X', kind: 'X', communeCode: '06793', capacity: 0, registeredOn: '2026-08-01' },
    });
    expect(badProvider.status).toBe(400);
    for (const field of ['kind', 'capacity']) expect(badProvider.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(
      (
        await call('POST', '/api/v1/employers', {
          token: commune,
          body: { name: 'X', taxCode: '5700100256', communeCode: '06793', sector: 'MINING', registeredOn: '2026-08-01' },
        })
      ).status,
    ).toBe(403);
    // Another province's centre may not register here.
    const elsewhere = await token('20-EMPLOYMENT_CENTRE', ['20']);
    expect(
      (
        await call('POST', '/api/v1/employers', {
          token: elsewhere,
          body: { name: 'X', taxCode: '5700100256', communeCode: '06793', sector: 'MINING', registeredOn: '2026-08-01' },
        })
      ).status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/employers/${employerId}`, { token: elsewhere })).status).toBe(403);
  });

  it('runs a record through counselling, training, a job and its follow-ups to closure, each step a new ETag', async () => {
    const { id, etag } = await open();
    expect(etag).toBe('"0"');
    const opened = await call('GET', `/api/v1/employment-records/${id}`, { token: commune });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('etag')).toBe('"0"');
    expect(opened.body).toMatchObject({ id, version: 0, status: 'OPEN', communeCode: '06793', provinceCode: '22', need: 'WANTS_TRAINING', referral: null });
    expect(JSON.stringify(opened.body)).not.toContain('hồ quang');

    const held = await step(id, 'counselling-sessions', '"0"', {
      heldOn: '2026-08-10',
      counsellor: 'Nguyễn Thị Hoa',
      outcome: 'PLAN_AGREED',
      nextStep: 'ENROL_IN_TRAINING',
      note: 'Gia đình ủng hộ',
    });
    expect(held.status).toBe(200);
    expect(held.body).toEqual({ id, version: 1 });
    expect(held.headers.get('etag')).toBe('"1"');
    expect((await step(id, 'enrolments', '"1"', enrolment())).status).toBe(200);
    const enrolmentId = ((await read(id)).enrolments as Item[])[0]?.enrolmentId as string;
    expect((await step(id, 'training-completions', '"2"', { enrolmentId, completedOn: '2026-11-28', certificateNumber: 'QN-2026-001234' })).status).toBe(200);
    expect((await step(id, 'placements', '"3"', placement())).status).toBe(200);
    const record = await read(id);
    const job = (record.placements as Item[])[0] as Item;
    expect(job.followUps).toEqual([
      { month: 3, dueOn: '2027-03-01', checkedOn: null, stillWorking: null },
      { month: 6, dueOn: '2027-06-01', checkedOn: null, stillWorking: null },
      { month: 12, dueOn: '2027-12-01', checkedOn: null, stillWorking: null },
    ]);
    // Due and overdue: the 3- and 6-month checks are past due on 2027-06-30.
    const due = await poll(`/api/v1/employment/follow-ups?dueBefore=2027-06-30`, centre, (items) => items.filter((i) => i.recordId === id).length === 2);
    expect(due.filter((i) => i.recordId === id).map((i) => [i.month, i.dueOn, i.overdue])).toEqual([
      [3, '2027-03-01', true],
      [6, '2027-06-01', true],
    ]);
    expect((await step(id, 'follow-ups', '"4"', { placementId: job.placementId, month: 3, checkedOn: '2027-03-02', stillWorking: true })).status).toBe(200);
    await poll(`/api/v1/employment/follow-ups?dueBefore=2027-06-30&communeCode=06793`, commune, (items) => items.filter((i) => i.recordId === id).length === 1);
    expect((await step(id, 'job-departures', '"5"', { placementId: job.placementId, leftOn: '2027-06-15', reason: 'CONTRACT_ENDED' })).status).toBe(200);
    await poll(`/api/v1/employment/follow-ups?dueBefore=2027-12-31`, centre, (items) => !items.some((i) => i.recordId === id));
    const closed = await step(id, 'closure', '"6"', { closedOn: '2027-06-30', outcome: 'NOT_EMPLOYED' }, {}, commune);
    expect(closed.status).toBe(200);
    expect(await read(id)).toMatchObject({ status: 'CLOSED', closedOn: '2027-06-30', outcome: 'NOT_EMPLOYED', version: 7 });
    const listed = await poll('/api/v1/employment-records?communeCode=06793&status=CLOSED', commune, (items) => items.some((i) => i.id === id));
    expect(listed.find((i) => i.id === id)).toEqual({
      id,
      communeCode: '06793',
      provinceCode: '22',
      status: 'CLOSED',
      need: 'WANTS_TRAINING',
      referralService: null,
      openedOn: '2026-08-03',
      closedOn: '2027-06-30',
      outcome: 'NOT_EMPLOYED',
      version: 7,
    });
  });

  it('lists a follow-up due soon as not overdue', async () => {
    const { id } = await open({ need: 'WANTS_WORK' });
    expect((await step(id, 'placements', '"0"', placement({ startOn: '2027-04-05', loan: null }))).status).toBe(200);
    const due = await poll('/api/v1/employment/follow-ups?dueBefore=2027-07-31', centre, (items) => items.some((i) => i.recordId === id));
    expect(due.filter((i) => i.recordId === id).map((i) => [i.month, i.dueOn, i.overdue])).toEqual([[3, '2027-07-05', false]]);
    // The list shows the version every step reached (what to send as If-Match).
    await poll('/api/v1/employment-records?status=OPEN', centre, (items) => items.some((i) => i.id === id && i.version === 1));
    const bad = await call('GET', '/api/v1/employment/follow-ups?dueBefore=soon&communeCode=6', { token: centre });
    expect(bad.status).toBe(400);
    for (const field of ['dueBefore', 'communeCode']) expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect((await call('GET', '/api/v1/employment/follow-ups?dueBefore=2027-07-31&communeCode=06685', { token: commune })).status).toBe(403);
  });

  it('shows a provider only the enrolments at itself: codes and dates, no person and no case', async () => {
    const { id } = await open();
    expect((await step(id, 'enrolments', '"0"', enrolment())).status).toBe(200);
    const enrolmentId = ((await read(id)).enrolments as Item[])[0]?.enrolmentId as string;
    expect((await step(id, 'training-dropouts', '"1"', { enrolmentId, droppedOn: '2026-10-01', reason: 'FOUND_WORK', note: 'Đi làm ở mỏ' })).status).toBe(200);
    const own = await token('22-NGO-7', ['22']);
    const items = await poll(`/api/v1/training-providers/${providerId}/enrolments`, own, (list) =>
      list.some((i) => i.enrolmentId === enrolmentId && i.status === 'DROPPED_OUT'),
    );
    expect(items.find((i) => i.enrolmentId === enrolmentId)).toEqual({
      enrolmentId,
      tradeCode: 'WELDING',
      level: 'UNDER_3_MONTHS',
      startOn: '2026-09-01',
      expectedEndOn: '2026-11-30',
      funding: 'STATE_SUPPORT_AFTER_REHAB',
      status: 'DROPPED_OUT',
      endedOn: '2026-10-01',
      dropoutReason: 'FOUND_WORK',
    });
    expect((await call('GET', `/api/v1/training-providers/${providerId}/enrolments`, { token: await token('22-NGO-8', ['22']) })).status).toBe(403);
    expect((await call('GET', `/api/v1/training-providers/${providerId}/enrolments`, { token: centre })).status).toBe(200);
    expect((await call('GET', `/api/v1/employment-records/${id}`, { token: own })).status).toBe(403);
    expect((await call('GET', `/api/v1/training-providers/${crypto.randomUUID()}/enrolments`, { token: own })).status).toBe(404);
  });

  it('answers 428 without If-Match, 409 to a stale one, 422 to a broken rule, appending nothing', async () => {
    const { id } = await open();
    const before = await eventCount();
    const missing = await call('POST', `/api/v1/employment-records/${id}/closure`, { token: centre, body: { closedOn: '2026-08-20', outcome: 'EMPLOYED' } });
    expect(missing.status).toBe(428);
    expect((await step(id, 'closure', '"1"', { closedOn: '2026-08-20', outcome: 'EMPLOYED' })).status).toBe(409);
    const unknownProvider = await step(id, 'enrolments', '"0"', { ...enrolment(), providerId: crypto.randomUUID() });
    expect(unknownProvider.status).toBe(422);
    expect(unknownProvider.headers.get('content-type')).toContain('application/problem+json');
    expect(unknownProvider.body).toMatchObject({
      type: expect.stringContaining('unknown-provider'),
      detail: 'no training provider with that id is in the register',
    });
    const unknownEmployer = await step(id, 'placements', '"0"', placement({ employerId: providerId }));
    expect(unknownEmployer.body).toMatchObject({ type: expect.stringContaining('unknown-employer') });
    expect((await step(id, 'closure', '"0"', { closedOn: '2026-08-02', outcome: 'EMPLOYED' })).body).toMatchObject({
      type: expect.stringContaining('before-opening'),
    });
    expect((await step(id, 'residence', '"0"', { communeCode: '06685' })).body).toMatchObject({ type: expect.stringContaining('residence-already-known') });
    expect((await step(crypto.randomUUID(), 'closure', '"0"', { closedOn: '2026-08-20', outcome: 'EMPLOYED' })).status).toBe(404);
    expect(await eventCount()).toBe(before);
    expect((await call('POST', '/api/v1/employment-records', { token: centre, body: opening({ communeCode: '99999' }) })).status).toBe(422);
  });

  it('appends nothing when a step or an opening is retried with the same Idempotency-Key, and refuses the key for another request', async () => {
    const key = { 'idempotency-key': 'enrol-0001' };
    const { id } = await open();
    const first = await step(id, 'enrolments', '"0"', enrolment(), key);
    expect(first.status).toBe(200);
    const after = await eventCount();
    const retry = await step(id, 'enrolments', '"0"', enrolment(), key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await eventCount()).toBe(after);
    expect((await step(id, 'enrolments', '"0"', { ...enrolment(), level: 'ELEMENTARY' }, key)).status).toBe(422);
    expect(((await read(id)).enrolments as Item[]).length).toBe(1);
    const body = opening();
    const opened = await call('POST', '/api/v1/employment-records', { token: centre, body, headers: { 'idempotency-key': 'open-0001' } });
    const again = await call('POST', '/api/v1/employment-records', { token: centre, body, headers: { 'idempotency-key': 'open-0001' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(opened.body);
    expect(again.headers.get('location')).toBe(`/api/v1/employment-records/${opened.body.id as string}`);
  });

  it('answers bad input with 400 problem+json naming each field, appending nothing', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/employment-records', {
      token: centre,
      body: { personId: 'p', communeCode: 'x', openedOn: '2026-02-30', need: 'MAYBE', notNowReason: 'BORED', skills: 5, extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    for (const field of ['personId', 'communeCode', 'openedOn', 'need', 'notNowReason', 'skills', 'extra'])
      expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const { id } = await open();
    const badJob = await step(id, 'placements', '"0"', {
      employerId: 'e',
      jobTitle: '',
      contractType: 'X',
      startOn: 'x',
      wageBand: 'LOTS',
      loan: { programme: 'X', amountBand: 'X' },
    });
    expect(badJob.status).toBe(400);
    for (const field of ['employerId', 'jobTitle', 'contractType', 'startOn', 'wageBand'])
      expect(badJob.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(JSON.stringify(badJob.body.errors)).toContain('loan');
    const badFollowUp = await step(id, 'follow-ups', '"0"', { placementId: 'x', month: 4, checkedOn: '2027-13-01', stillWorking: 'yes' });
    for (const field of ['placementId', 'month', 'checkedOn', 'stillWorking'])
      expect(badFollowUp.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    for (const [path, body, fields] of [
      ['counselling-sessions', { heldOn: 'x', counsellor: '', outcome: 'X', nextStep: 'X' }, ['heldOn', 'counsellor', 'outcome', 'nextStep']],
      [
        'enrolments',
        { tradeCode: 'X', providerId: 'x', level: 'X', startOn: 'x', expectedEndOn: 'x', funding: 'X' },
        ['tradeCode', 'providerId', 'level', 'startOn', 'expectedEndOn', 'funding'],
      ],
      ['training-dropouts', { enrolmentId: 'x', droppedOn: 'x', reason: 'X' }, ['enrolmentId', 'droppedOn', 'reason']],
      ['training-completions', { enrolmentId: 'x', completedOn: 'x', certificateNumber: '' }, ['enrolmentId', 'completedOn', 'certificateNumber']],
      ['job-departures', { placementId: 'x', leftOn: 'x', reason: 'X' }, ['placementId', 'leftOn', 'reason']],
      ['need-assessments', { assessedOn: 'x', need: 'X' }, ['assessedOn', 'need']],
      ['residence', { communeCode: '1' }, ['communeCode']],
      ['closure', { closedOn: 'x', outcome: 'X' }, ['closedOn', 'outcome']],
    ] as const) {
      const reply = await step(id, path, '"0"', body);
      expect(reply.status).toBe(400);
      for (const field of fields) expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect((await call('POST', '/api/v1/employment-records', { token: centre, raw: '{"personId": "' })).status).toBe(400);
    expect(await eventCount()).toBe(before + 1);
  });

  it('answers 401 without a token and 403 to every agency without a part, or outside its scope', async () => {
    const { id } = await open();
    expect((await call('GET', `/api/v1/employment-records/${id}`)).status).toBe(401);
    expect((await call('POST', '/api/v1/employment-records', { body: opening() })).status).toBe(401);
    expect((await call('GET', '/api/v1/employment/follow-ups?dueBefore=2027-01-01')).status).toBe(401);
    for (const agency of ['22-PPC', '22-POLICE', '22-REHAB_FACILITY-1', '22-HEALTH', '22-DOLISA', '22-NGO-7']) {
      const other = await token(agency, ['22']);
      expect((await call('GET', `/api/v1/employment-records/${id}`, { token: other })).status).toBe(403);
      expect((await call('POST', '/api/v1/employment-records', { token: other, body: opening() })).status).toBe(403);
      expect((await step(id, 'closure', '"0"', { closedOn: '2026-08-20', outcome: 'EMPLOYED' }, {}, other)).status).toBe(403);
      expect((await call('GET', '/api/v1/employment/follow-ups?dueBefore=2027-01-01', { token: other })).status).toBe(403);
      expect((await call('GET', '/api/v1/employment-records', { token: other })).status).toBe(403);
    }
    // A supervisor may, an analyst may not.
    expect((await call('GET', `/api/v1/employment-records/${id}`, { token: await token('22-EMPLOYMENT_CENTRE', ['22'], ['analyst']) })).status).toBe(403);
    expect((await call('GET', `/api/v1/employment-records/${id}`, { token: await token('22-EMPLOYMENT_CENTRE', ['22'], ['supervisor']) })).status).toBe(200);
    const elsewhere = await token('20-EMPLOYMENT_CENTRE', ['20']);
    expect((await call('GET', `/api/v1/employment-records/${id}`, { token: elsewhere })).status).toBe(403);
    const otherCommune = await token('22-COMMUNE-06685', ['06685']);
    expect((await call('GET', `/api/v1/employment-records/${id}`, { token: otherCommune })).status).toBe(403);
    expect((await step(id, 'closure', '"0"', { closedOn: '2026-08-20', outcome: 'EMPLOYED' }, {}, otherCommune)).status).toBe(403);
    const before = await eventCount();
    expect((await call('POST', '/api/v1/employment-records', { token: commune, body: opening({ communeCode: '06685' }) })).status).toBe(403);
    expect(await eventCount()).toBe(before);
    // The commune opens records of its own residents.
    await open({}, commune);
    expect(findUnguardedHandlers(running.service.app, { policy: employmentPolicy })).toEqual([]);
  });

  it('keeps skills, preferences, notes and certificate numbers out of the event log in the clear', async () => {
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name LIKE 'EmploymentRecord-%'`);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) for (const text of ['hồ quang', 'Ca ngày', 'Gia đình', 'QN-2026-001234', 'Đi làm ở mỏ']) expect(row.data).not.toContain(text);
  });
});
