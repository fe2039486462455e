/**
 * Over real HTTP on real PostgreSQL: the staff register (counts by agency and group, new counts
 * under If-Match), district plans under a provincial plan (before 2025-07-01, a district the unit
 * register knew), and the lists of plans, support models, surveys and staff (paged, scoped,
 * filtered); the integration events the projections service needs, in the outbox once each.
 * Records are made by the department holding the function now (Health) and dated 2026, or by the PPC.
 */
import { findUnguardedHandlers } from '@haidang/auth';
import { validateCampaignsIntegrationEvent } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { InMemoryDeadLetters, InProcessEventBus, silentLogger } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../../campaigns-service';
import { campaignsPolicy } from '../../campaigns.policy';
import { fieldsOf, httpClient, TARGET_ACTIVITY, type Reply } from '../../campaigns.test-fixtures';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-20T03:00:00Z');
type Body = Record<string, unknown>;

describe('campaigns registers and lists', () => {
  let database: TestDatabase;
  let bus: InProcessEventBus;
  let running: CampaignsService;
  const received: RecordedEvent[] = [];
  const { call, token } = httpClient(() => running.url);
  let health: string;
  let ppc: string;
  let commune: string;
  let otherCommune: string;
  let otherProvince: string;
  let borderGuard: string;

  const expectProblem = (reply: Reply, status: number) =>
    expect([reply.status, reply.headers.get('content-type')]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
  /** Polls a list until `until` holds (the read model lags the events). */
  const listed = async (path: string, as: string, until: (body: Body) => boolean): Promise<Body> => {
    for (;;) {
      const reply = await call('GET', path, { token: as });
      expect([200, 503]).toContain(reply.status);
      if (reply.status === 200 && until(reply.body)) return reply.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** The integration events published so far of one type (`campaigns.X.v1`), in the order received. */
  const published = (type: string): Body[] => received.filter((e) => e.type === type).map((e) => e.data as Body);
  const waitForPublished = async (type: string, count: number): Promise<Body[]> => {
    while (published(type).length < count) await new Promise((resolve) => setTimeout(resolve, 50));
    return published(type);
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    bus = new InProcessEventBus();
    // The lists are polled: a limit that polling cannot reach.
    const rateLimit = { limit: 100_000, windowMs: 60_000 };
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', bus, clock: () => NOW, rateLimit });
    await bus.consume({
      durable: 'test-campaigns-registers',
      filterSubjects: ['int.campaigns.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (e) => void received.push(e),
    });
    [health, ppc, commune, otherCommune, otherProvince, borderGuard] = await Promise.all([
      token('22-HEALTH', ['22']),
      token('22-PPC', ['22'], ['analyst', 'caseworker']),
      token('22-COMMUNE-06793', ['06793']),
      token('22-COMMUNE-06685', ['06685']),
      token('20-HEALTH', ['20']),
      token('22-BORDER_GUARD', ['22']),
    ]);
  });
  afterAll(async () => {
    await running?.stop();
    await bus?.close();
    await database?.drop();
  });

  it('keeps the staff register: one entry per agency and group, new counts from later days under If-Match', async () => {
    const facility = { agencyCode: '22-REHAB_FACILITY-1', group: 'REHAB_STAFF', headcount: 52, asOf: '2026-01-05' };
    const created = await call('POST', '/api/v1/staff-rosters', { token: health, body: facility, headers: { 'idempotency-key': 'staff-facility' } });
    expect([created.status, created.headers.get('etag'), created.headers.get('location')]).toEqual([
      201,
      '"0"',
      `/api/v1/staff-rosters/${created.body.id as string}`,
    ]);
    const id = created.body.id as string;
    // The same agency and group again: 409 (its id follows from them), whatever the key.
    expectProblem(await call('POST', '/api/v1/staff-rosters', { token: health, body: { ...facility, headcount: 60 } }), 409);
    // 400 field by field; 403 to a commune, to the PPC (it reads) and for an agency of another province (422).
    const bad = await call('POST', '/api/v1/staff-rosters', {
      token: health,
      body: { agencyCode: 'facility', group: 'CATS', headcount: -1, asOf: '2026-02-30' },
    });
    expectProblem(bad, 400);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['agencyCode', 'group', 'headcount', 'asOf']));
    expectProblem(await call('POST', '/api/v1/staff-rosters', { token: commune, body: { ...facility, agencyCode: '22-COMMUNE-06793' } }), 403);
    expectProblem(await call('POST', '/api/v1/staff-rosters', { token: ppc, body: { ...facility, agencyCode: '22-COMMUNE-06793' } }), 403);
    const elsewhere = await call('POST', '/api/v1/staff-rosters', { token: health, body: { ...facility, agencyCode: '20-REHAB_FACILITY-1' } });
    expectProblem(elsewhere, 422);
    expect(elsewhere.body.detail).toMatch(/province/);

    // A new count: If-Match required (428), stale (409), not after the last (422); then version 1.
    const count = (body: Body, headers: Record<string, string>) => call('POST', `/api/v1/staff-rosters/${id}/headcounts`, { token: health, body, headers });
    expectProblem(await count({ headcount: 58, asOf: '2026-07-01' }, {}), 428);
    expectProblem(await count({ headcount: 58, asOf: '2026-07-01' }, { 'if-match': '"4"' }), 409);
    expectProblem(await count({ headcount: 58, asOf: '2026-01-05' }, { 'if-match': '"0"' }), 422);
    const changed = await count({ headcount: 58, asOf: '2026-07-01' }, { 'if-match': '"0"' });
    expect([changed.status, changed.headers.get('etag')]).toEqual([200, '"1"']);
    const read = await call('GET', `/api/v1/staff-rosters/${id}`, { token: ppc });
    expect(read.body).toMatchObject({
      agencyCode: '22-REHAB_FACILITY-1',
      group: 'REHAB_STAFF',
      headcount: 58,
      counts: [
        { headcount: 52, asOf: '2026-01-05' },
        { headcount: 58, asOf: '2026-07-01' },
      ],
    });
    expectProblem(await call('GET', `/api/v1/staff-rosters/${id}`, { token: commune }), 403);
    expectProblem(await call('GET', `/api/v1/staff-rosters/${id}`, { token: otherProvince }), 403);

    // After-care staff of two communes; the list sums the headcounts in the filter.
    for (const [agencyCode, headcount] of [
      ['22-COMMUNE-06793', 12],
      ['22-COMMUNE-06685', 14],
    ] as const)
      expect(
        (await call('POST', '/api/v1/staff-rosters', { token: health, body: { agencyCode, group: 'AFTER_CARE_STAFF', headcount, asOf: '2026-01-05' } })).status,
      ).toBe(201);
    const all = await listed('/api/v1/staff-rosters', ppc, (b) => b.total === 3 && b.headcount === 84);
    expect(all).toMatchObject({ page: 1, pageSize: 50, total: 3, headcount: 84 });
    expect(await listed('/api/v1/staff-rosters?group=AFTER_CARE_STAFF', health, () => true)).toMatchObject({ total: 2, headcount: 26 });
    expect(await listed('/api/v1/staff-rosters?agencyCode=22-REHAB_FACILITY-1', health, () => true)).toMatchObject({
      total: 1,
      headcount: 58,
      items: [{ id, version: 1, asOf: '2026-07-01' }],
    });
    expect((await call('GET', '/api/v1/staff-rosters', { token: otherProvince })).body).toMatchObject({ total: 0, headcount: 0 });
    expectProblem(await call('GET', '/api/v1/staff-rosters?group=CATS&page=0', { token: ppc }), 400);

    // Every count once in the outbox, for the denominator of REHAB_STAFF_TRAINED.
    const counts = await waitForPublished('campaigns.StaffHeadcountRecorded.v1', 4);
    expect(counts.map((m) => [m.agencyCode, m.group, m.headcount, m.asOf])).toEqual([
      ['22-REHAB_FACILITY-1', 'REHAB_STAFF', 52, '2026-01-05'],
      ['22-REHAB_FACILITY-1', 'REHAB_STAFF', 58, '2026-07-01'],
      ['22-COMMUNE-06793', 'AFTER_CARE_STAFF', 12, '2026-01-05'],
      ['22-COMMUNE-06685', 'AFTER_CARE_STAFF', 14, '2026-01-05'],
    ]);
  });

  it('records district plans under a provincial plan before 2025-07-01, naming a district of the province', async () => {
    const provincial = {
      issuedBy: '22-PPC',
      number: '88/KH-UBND',
      issuedOn: '2024-03-01',
      title: 'Phòng, chống ma túy năm 2024',
      leadAgency: '22-DOLISA',
      periodFrom: '2024-01-01',
      periodTo: '2024-12-31',
      targets: [TARGET_ACTIVITY],
    };
    const parent = await call('POST', '/api/v1/plans', { token: ppc, body: provincial });
    expect(parent.status).toBe(201);
    const parentId = parent.body.id as string;
    const district = (over: Body = {}) => ({
      ...provincial,
      number: '21/KH-UBND',
      issuedOn: '2024-04-02',
      periodFrom: '2024-04-01',
      parentPlanId: parentId,
      districtName: 'Thành phố Cẩm Phả',
      ...over,
    });
    const adopted = await call('POST', '/api/v1/plans', { token: ppc, body: district() });
    expect(adopted.status).toBe(201);
    expect((await call('GET', `/api/v1/plans/${adopted.body.id as string}?on=2024-06-30`, { token: ppc })).body).toMatchObject({
      parentPlanId: parentId,
      districtName: 'Thành phố Cẩm Phả',
    });
    expect((await call('POST', '/api/v1/plans', { token: ppc, body: district({ number: '22/KH-UBND', districtName: 'Huyện Cô Tô' }) })).status).toBe(201);
    // Refusals: a district the province never had, no parent, a parent unknown, a district plan under a district plan, after the reform.
    const refused = async (body: Body, pattern: RegExp) => {
      const reply = await call('POST', '/api/v1/plans', { token: ppc, body });
      expectProblem(reply, 422);
      expect(reply.body.detail).toMatch(pattern);
    };
    await refused(district({ districtName: 'Huyện Lộc Bình' }), /no district of that name/);
    await refused(district({ parentPlanId: undefined }), /parentPlanId/);
    await refused(district({ parentPlanId: '6f1d1c1e-1111-4a4a-8a8a-000000000999' }), /no plan with that id/);
    await refused(district({ parentPlanId: adopted.body.id, districtName: 'Huyện Ba Chẽ' }), /provincial plan/);
    await refused(district({ periodTo: '2025-03-31' }), /within its period/);
    const plan2025 = await call('POST', '/api/v1/plans', {
      token: ppc,
      body: { ...provincial, number: '12/KH-UBND', issuedOn: '2025-02-01', periodFrom: '2025-01-01', periodTo: '2025-12-31' },
    });
    await refused(district({ parentPlanId: plan2025.body.id, issuedOn: '2025-07-02', periodFrom: '2025-07-02', periodTo: '2025-12-31' }), /2025-07-01/);
    expectProblem(await call('POST', '/api/v1/plans', { token: ppc, body: district({ districtName: 7 }) }), 400);

    // The lists: district plans under the parent; provincial plans of a window; pages of 50.
    const districts = await listed(`/api/v1/plans?level=DISTRICT&parentPlanId=${parentId}`, commune, (b) => b.total === 2);
    expect((districts.items as Body[]).map((p) => p.districtName).sort()).toEqual(['Huyện Cô Tô', 'Thành phố Cẩm Phả']);
    const provincialPlans = await listed('/api/v1/plans?level=PROVINCE&from=2025-01-01', health, (b) => b.total === 1);
    expect(provincialPlans.items).toEqual([expect.objectContaining({ number: '12/KH-UBND', districtName: null, targets: 1, amendments: 0, version: 0 })]);
    expect((await call('GET', '/api/v1/plans', { token: otherProvince })).body).toMatchObject({ total: 0 });
    expectProblem(await call('GET', '/api/v1/plans?level=WARD&parentPlanId=x', { token: ppc }), 400);

    // DISTRICTS_WITH_PLAN counts these, one integration event per district plan.
    const events = await waitForPublished('campaigns.DistrictPlanAdopted.v1', 2);
    expect(events.map((e) => [e.districtName, e.parentPlanId, e.provinceCode])).toEqual([
      ['Thành phố Cẩm Phả', parentId, '22'],
      ['Huyện Cô Tô', parentId, '22'],
    ]);
    expect(await waitForPublished('campaigns.PlanAdopted.v1', 4)).toHaveLength(4);
    for (const event of [...events, ...published('campaigns.StaffHeadcountRecorded.v1')]) expect(validateCampaignsIntegrationEvent(event).ok).toBe(true);
  });

  it('lists support models within the caller’s scope, by kind, owner and status, with the totals of their logs', async () => {
    const found = (body: Body, as: string) => call('POST', '/api/v1/support-models', { token: as, body });
    const models = [
      {
        modelCode: '22-SUPPORT_MODEL-31',
        name: 'CLB sau cai nghiện Cẩm Trung',
        kind: 'AFTER_CARE_CLUB',
        ownerType: 'COMMUNE',
        ownerAgency: '22-COMMUNE-06793',
        communeCode: '06793',
      },
      {
        modelCode: '22-SUPPORT_MODEL-32',
        name: 'Đội tình nguyện Cẩm Trung',
        kind: 'VOLUNTEER_TEAM',
        ownerType: 'YOUTH_UNION',
        ownerAgency: null,
        communeCode: '06793',
      },
      {
        modelCode: '22-SUPPORT_MODEL-33',
        name: 'Điểm tư vấn Hà Tu',
        kind: 'COUNSELLING_POINT',
        ownerType: 'WOMENS_UNION',
        ownerAgency: null,
        communeCode: '06685',
      },
      {
        modelCode: '22-SUPPORT_MODEL-34',
        name: 'Mô hình dân vận biên phòng',
        kind: 'MASS_MOBILISATION_MODEL',
        ownerType: 'BORDER_GUARD',
        ownerAgency: '22-BORDER_GUARD',
        communeCode: '06685',
      },
    ];
    const ids: string[] = [];
    for (const model of models) {
      const created = await found({ ...model, foundedOn: '2026-02-01' }, model.ownerType === 'BORDER_GUARD' ? borderGuard : health);
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    const club = await token('22-SUPPORT_MODEL-31', ['22']);
    const log = { periodFrom: '2026-04-01', periodTo: '2026-06-30', meetings: 3, members: 18, personsSupported: 7 };
    expect((await call('POST', `/api/v1/support-models/${ids[0]}/activity-logs`, { token: club, body: log, headers: { 'if-match': '"0"' } })).status).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/support-models/${ids[0]}/activity-logs`, {
          token: club,
          body: { ...log, periodFrom: '2026-07-01', periodTo: '2026-09-30', meetings: 2, personsSupported: 5 },
          headers: { 'if-match': '"1"' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/support-models/${ids[1]}/deactivation`, {
          token: health,
          body: { deactivatedOn: '2026-09-01', reason: 'NO_MEMBERS' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(200);

    const province = await listed(
      '/api/v1/support-models',
      ppc,
      // The last change (the team's deactivation) read: everything before it too.
      (b) => b.total === 4 && (b.items as Body[]).some((i) => i.status === 'INACTIVE'),
    );
    expect((province.items as Body[]).map((i) => i.modelCode)).toEqual(models.map((m) => m.modelCode));
    expect((province.items as Body[])[0]).toMatchObject({ kind: 'AFTER_CARE_CLUB', logs: 2, meetings: 5, personsSupported: 12, version: 2 });
    // A commune sees its own; another commune asked for is refused; the border guard and a model see their own.
    const own = (await call('GET', '/api/v1/support-models', { token: commune })).body;
    expect((own.items as Body[]).map((i) => i.modelCode)).toEqual(['22-SUPPORT_MODEL-31', '22-SUPPORT_MODEL-32']);
    expectProblem(await call('GET', '/api/v1/support-models?communeCode=06793', { token: otherCommune }), 403);
    expect(((await call('GET', '/api/v1/support-models', { token: borderGuard })).body.items as Body[]).map((i) => i.modelCode)).toEqual([
      '22-SUPPORT_MODEL-34',
    ]);
    expect(((await call('GET', '/api/v1/support-models', { token: club })).body.items as Body[]).map((i) => i.modelCode)).toEqual(['22-SUPPORT_MODEL-31']);
    // Filters.
    expect((await call('GET', '/api/v1/support-models?status=INACTIVE', { token: health })).body).toMatchObject({
      total: 1,
      items: [{ modelCode: '22-SUPPORT_MODEL-32', statusSince: '2026-09-01' }],
    });
    expect((await call('GET', '/api/v1/support-models?ownerType=WOMENS_UNION&kind=COUNSELLING_POINT', { token: ppc })).body).toMatchObject({ total: 1 });
    expect((await call('GET', '/api/v1/support-models?communeCode=06685', { token: health })).body).toMatchObject({ total: 2 });
    const bad = await call('GET', '/api/v1/support-models?kind=CLUB&status=ASLEEP&communeCode=1', { token: ppc });
    expectProblem(bad, 400);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['kind', 'status', 'communeCode']));
  });

  it('lists awareness surveys by group, plan and window', async () => {
    const survey = (conductedFrom: string, conductedTo: string, results: Body[]) =>
      call('POST', '/api/v1/surveys', { token: health, body: { conductedFrom, conductedTo, results } });
    expect((await survey('2026-03-01', '2026-03-31', [{ group: 'OFFICIALS', unitCode: '22', sampleSize: 400, aware: 270 }])).status).toBe(201);
    expect(
      (
        await survey('2026-10-01', '2026-10-31', [
          { group: 'ADULTS', unitCode: '06793', sampleSize: 600, aware: 331 },
          { group: 'ADULTS', unitCode: '06685', sampleSize: 500, aware: 240 },
        ])
      ).status,
    ).toBe(201);
    const all = await listed('/api/v1/surveys', ppc, (b) => b.total === 2);
    expect((all.items as Body[]).map((i) => i.conductedFrom)).toEqual(['2026-10-01', '2026-03-01']);
    expect((all.items as Body[])[0]).toMatchObject({ groups: ['ADULTS'], unitCodes: ['06793', '06685'], sampleSize: 1100, aware: 571 });
    expect((await call('GET', '/api/v1/surveys?group=OFFICIALS', { token: health })).body).toMatchObject({ total: 1 });
    expect((await call('GET', '/api/v1/surveys?from=2026-04-01&to=2026-12-31', { token: health })).body).toMatchObject({ total: 1 });
    expect((await call('GET', '/api/v1/surveys?page=2', { token: health })).body).toMatchObject({ page: 2, total: 2, items: [] });
    expectProblem(await call('GET', '/api/v1/surveys', { token: commune }), 403);
    expectProblem(await call('GET', '/api/v1/surveys?group=CATS&to=soon', { token: ppc }), 400);
  });

  it('names a policy action on every route', () => {
    // The platform's own routes (integrity, break-glass) take their actions from the platform, not from this policy.
    expect(
      findUnguardedHandlers(running.service.app, { policy: campaignsPolicy }).filter((p) => !p.includes('/api/v1/integrity') && !p.includes('break-glass')),
    ).toEqual([]);
  });
});
