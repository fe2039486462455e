/**
 * Issue 18, point 6: every service exposes on /metrics the gauges operators alert on — how far each
 * projection is behind the log, and the age of the oldest open transaction (readers wait behind it).
 */
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(60_000);

describe('/metrics of every service', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let cases: CasesService;
  let referrals: ReferralsService;

  beforeAll(async () => {
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: '' });
    referrals = await startReferralsService({ databaseUrl: referralsDb.url, port: 0, logLevel: 'silent', natsUrl: '' });
  });
  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it.each([
    ['cases', () => cases.url, ['cases_persons', 'cases_rehab_cases']],
    ['referrals', () => referrals.url, ['referrals_referrals']],
  ])('%s: projection lag per projection, oldest open transaction, head position', async (service, url, projections) => {
    // A projection is tracked once its runner follows the log (after the first build of its read model).
    let text = '';
    await waitFor(
      async () => {
        text = await (await fetch(`${url()}/metrics`)).text();
        return projections.every((projection) => text.includes(`haidang_projection_lag_events{projection="${projection}`));
      },
      { timeoutMs: 15_000, description: `${service}: every projection in /metrics` },
    );
    expect(text).toMatch(new RegExp(`haidang_event_store_oldest_open_transaction_age_seconds\\{service="${service}"\\} \\d`));
    expect(text).toMatch(new RegExp(`haidang_event_store_head_global_position\\{service="${service}"\\} \\d`));
    for (const projection of projections) expect(text).toMatch(new RegExp(`haidang_projection_lag_events\\{projection="${projection}[^"]*"\\} \\d`));
  });
});
