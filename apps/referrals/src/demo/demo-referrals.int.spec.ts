/**
 * The referrals demo as `npm start` loads it, after the cases demo, on two services joined by an
 * in-process bus and broker: every referral reaches its status with the receivers of the 2025
 * agency table (no DOLISA), and the automatic job-counselling draft reads in Vietnamese. The
 * after-care club the demo sends to is founded in campaigns (as its demo does, before this one) and
 * reaches referrals' register of support models on the same bus.
 */
import { signDevToken } from '@haidang/auth';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { join } from 'node:path';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { referralsService } from '../referrals-service';

jest.setTimeout(240_000);

/** The cases service's descriptor, found at run time as `npm start` finds it (apps are not libraries to import). */
function casesDescriptor(): ServiceDefinition {
  return (require(join(__dirname, '..', '..', '..', 'cases', DESCRIPTOR_FILE)) as { service: ServiceDefinition }).service;
}
function campaignsDescriptor(): ServiceDefinition {
  return (require(join(__dirname, '..', '..', '..', 'campaigns', DESCRIPTOR_FILE)) as { service: ServiceDefinition }).service;
}
const migrationsOf = (service: ServiceDefinition) => [...PLATFORM_MIGRATIONS, ...(service.migrations ?? [])];

describe('referrals demo data', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let campaignsDb: TestDatabase;
  let campaigns: RunningService;
  let bus: InProcessEventBus;
  let broker: InProcessRpcBroker;
  let cases: RunningService;
  let referrals: RunningService;

  beforeAll(async () => {
    const casesService = casesDescriptor();
    const campaignsService = campaignsDescriptor();
    [casesDb, referralsDb, campaignsDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(casesService) }),
      createTestDatabase({ migrations: migrationsOf(referralsService) }),
      createTestDatabase({ migrations: migrationsOf(campaignsService) }),
    ]);
    bus = new InProcessEventBus();
    broker = new InProcessRpcBroker();
    cases = await startService(casesService, { databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    referrals = await startService(referralsService, { databaseUrl: referralsDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    campaigns = await startService(campaignsService, { databaseUrl: campaignsDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    // The club the demo sends to, founded as the campaigns demo founds it (its commune may).
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const club = await fetch(`${campaigns.url}/api/v1/support-models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${commune}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        modelCode: '22-SUPPORT_MODEL-3',
        name: 'CLB hỗ trợ người sau cai nghiện số 3',
        kind: 'AFTER_CARE_CLUB',
        ownerType: 'COMMUNE',
        ownerAgency: '22-COMMUNE-06793',
        communeCode: '06793',
        foundedOn: '2018-04-15',
      }),
    });
    expect(club.status).toBe(201);
  });
  afterAll(async () => {
    await referrals?.stop();
    await campaigns?.stop();
    await cases?.stop();
    await bus?.close();
    await Promise.all([casesDb?.drop(), referralsDb?.drop(), campaignsDb?.drop()]);
  });

  it('loads every referral to its status (checked by the loader), with the receivers that hold the functions today', async () => {
    const casesDemo = await casesDescriptor().demoData?.({ urls: { cases: cases.url }, earlier: {} });
    const demo = await referralsService.demoData?.({ urls: { cases: cases.url, referrals: referrals.url }, earlier: { cases: casesDemo?.facts } });
    const lines = (demo?.lines ?? []).join('\n');
    expect(lines).toContain('demo referrals  loaded');
    expect(lines).not.toContain('DOLISA');
    expect(lines).toContain('22-EDUCATION');

    // The automatic job-counselling draft (after a completed rehab in the cases demo) speaks Vietnamese.
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const get = async (path: string) =>
      (await fetch(`${referrals.url}${path}`, { headers: { authorization: `Bearer ${commune}` } })).json() as Promise<Record<string, unknown>>;
    // The drafts are proposed from integration events, a moment after the cases demo wrote them.
    let counselling: { id: string }[] = [];
    for (let tries = 0; tries < 100 && counselling.length === 0; tries++) {
      const drafts = (await get('/api/v1/referrals?direction=outgoing&status=DRAFT')) as { items?: { id: string; serviceType: string }[] };
      counselling = (drafts.items ?? []).filter((item) => item.serviceType === 'JOB_COUNSELLING');
      if (counselling.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(counselling.length).toBeGreaterThan(0);
    const draft = await get(`/api/v1/referrals/${(counselling[0] as { id: string }).id}`);
    expect(draft['reason']).toBe('Tư vấn, giới thiệu việc làm miễn phí nếu người lao động có nhu cầu.');
  });
});
