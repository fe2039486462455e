/**
 * The demo loads through the service's own API on real PostgreSQL: plan 146 with its twelve
 * targets, the 25/06/09 support models with 22-SUPPORT_MODEL-3 among the clubs, activities in all
 * but eight communes; a second load finds its marker and writes nothing.
 */
import { signDevToken } from '@haidang/auth';
import { listCommunes } from '@haidang/jurisdiction';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { loadCampaignsDemo } from './demo-data';

jest.setTimeout(180_000);

describe('campaigns demo data', () => {
  let database: TestDatabase;
  let running: CampaignsService;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('loads plan 146, the support models and a year of activities once', async () => {
    const first = await loadCampaignsDemo(running.url);
    expect(first.loaded).toBe(true);
    const events = async () => Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
    const written = await events();
    expect(await loadCampaignsDemo(running.url)).toMatchObject({ loaded: false, planId: first.planId });
    expect(await events()).toBe(written);

    const ppc = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'] });
    const get = async (path: string) =>
      (await (await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${ppc}` } })).json()) as Record<string, unknown>;
    const plan = await get(`/api/v1/plans/${first.planId}?on=2022-06-30`);
    expect(plan).toMatchObject({ number: '146/KH-UBND', issuedOn: '2022-05-20', leadAgency: '22-DOLISA' });
    expect((plan.targets as { indicator: string; value: number }[]).map((t) => [t.indicator, t.value])).toEqual(
      expect.arrayContaining([
        ['DISTRICTS_WITH_PLAN', 100],
        ['COMMUNES_WITH_ACTIVITY', 100],
        ['ZONES_REACHED', 50],
        ['SCHOOLS_TRAINED', 50],
        ['ARTICLES_PER_WEEK', 2],
        ['OFFICIALS_AWARE', 60],
        ['ADULTS_AWARE', 50],
        ['REHAB_STAFF_TRAINED', 100],
        ['VOLUNTEER_TEAMS', 25],
        ['COUNSELLING_POINTS', 6],
        ['AFTER_CARE_CLUBS', 9],
      ]),
    );
    const kinds = await database.pool.query<{ kind: string; n: string }>(
      `SELECT data->>'kind' AS kind, count(*) AS n FROM es_events WHERE event_type = 'SupportModelFounded' AND data->>'provinceCode' = '22' GROUP BY 1`,
    );
    expect(Object.fromEntries(kinds.rows.map((r) => [r.kind, Number(r.n)]))).toEqual({ VOLUNTEER_TEAM: 25, COUNSELLING_POINT: 6, AFTER_CARE_CLUB: 9 });
    expect(await get('/api/v1/support-models/22-SUPPORT_MODEL-3')).toMatchObject({ kind: 'AFTER_CARE_CLUB', communeCode: '06793', status: 'ACTIVE' });
    const covered = await database.pool.query<{ code: string }>(
      `SELECT DISTINCT jsonb_array_elements_text(data::jsonb->'communeCodes') AS code FROM es_events WHERE event_type = 'ActivityRecorded'`,
    );
    const all = listCommunes('22').map((u) => u.code);
    expect(covered.rows.length).toBe(all.length - 8);

    // The lists (read model): 11 district plans under plan 146, the staff register's 90 rehab and after-care staff.
    const listed = async (path: string, until: (body: Record<string, unknown>) => boolean) => {
      for (;;) {
        const body = await get(path);
        if (body.total !== undefined && until(body)) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const districts = await listed(`/api/v1/plans?level=DISTRICT&parentPlanId=${first.planId}`, (b) => b.total === 11);
    expect((districts.items as { districtName: string }[]).map((p) => p.districtName)).toContain('Thành phố Cẩm Phả');
    expect(await listed('/api/v1/staff-rosters', (b) => b.total === 4)).toMatchObject({ headcount: 90 });
    expect(await listed('/api/v1/support-models?kind=AFTER_CARE_CLUB&status=ACTIVE', (b) => b.total === 9)).toMatchObject({ total: 9 });
    // What the projections service counts for DISTRICTS_WITH_PLAN: one integration event per district plan.
    const districtEvents = async () =>
      Number(
        (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM messaging_outbox WHERE subject = 'int.campaigns.DistrictPlanAdopted.v1'`)).rows[0]
          ?.n,
      );
    while ((await districtEvents()) < 11) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await districtEvents()).toBe(11);
  });
});
