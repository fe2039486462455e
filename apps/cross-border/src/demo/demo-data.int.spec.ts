/**
 * The demo loader against a real service and PostgreSQL: every demo record passes the API's
 * validation and rules, a second load writes nothing, and the 2015–2020 totals read back as entered.
 */
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../cross-border-service';
import { DEMO_RECORDS, LANG_SON_2015_2020, loadCrossBorderDemo } from './demo-data';

jest.setTimeout(120_000);

describe('cross-border demo data', () => {
  let database: TestDatabase;
  let running: CrossBorderService;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: crossBorderMigrations });
    running = await startCrossBorderService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('loads records of every kind once, and the period summary reads back as the article’s numbers', async () => {
    const events = async () => Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events`)).rows[0]?.n);
    const first = await loadCrossBorderDemo({ urls: { 'cross-border': running.url }, earlier: {} });
    expect(first.lines.join('\n')).toContain('loaded: 7 Lạng Sơn records');
    expect(new Set(DEMO_RECORDS.map((r) => r.body['kind']))).toEqual(
      new Set(['MEETING', 'INFORMATION_EXCHANGE', 'JOINT_PATROL', 'JOINT_CASE', 'HANDOVER', 'PERIOD_SUMMARY']),
    );
    const written = await events();
    const second = await loadCrossBorderDemo({ urls: { 'cross-border': running.url }, earlier: {} });
    expect(second.lines.join('\n')).toContain('already present');
    expect(await events()).toBe(written);

    const ppc = await signDevToken({ agency: '20-PPC', roles: ['analyst'], units: ['20'] });
    let totals: { category: string; value: number }[] = [];
    while (totals.length < LANG_SON_2015_2020.length) {
      const response = await fetch(`${running.url}/api/v1/statistics?source=summaries&from=2015-01-01&to=2020-12-31`, {
        headers: { authorization: `Bearer ${ppc}` },
      });
      totals = response.status === 200 ? ((await response.json()) as { totals: typeof totals }).totals : [];
      if (totals.length < LANG_SON_2015_2020.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(totals).toEqual(LANG_SON_2015_2020);
  });
});
