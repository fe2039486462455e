/**
 * The demo loader against a real service and PostgreSQL: every demo record passes the API's
 * validation and rules, a second load writes nothing, and the 2015–2020 totals read back as entered.
 * The cases service answers on the same in-process broker, as under `npm start` (hence here, beside
 * the other tests of more than one service): the demo victim who needs support is registered there, once.
 */
import { signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../../apps/cross-border/src/cross-border-service';
import { DEMO_RECORDS, DEMO_VICTIM_NEEDS, LANG_SON_2015_2020, loadCrossBorderDemo } from '../../apps/cross-border/src/demo/demo-data';

jest.setTimeout(240_000);

describe('cross-border demo data', () => {
  let database: TestDatabase;
  let casesDatabase: TestDatabase;
  let running: CrossBorderService;
  let cases: CasesService;

  beforeAll(async () => {
    [database, casesDatabase] = await Promise.all([
      createTestDatabase({ migrations: crossBorderMigrations }),
      createTestDatabase({ migrations: casesMigrations }),
    ]);
    const rpcBroker = new InProcessRpcBroker();
    cases = await startCasesService({ databaseUrl: casesDatabase.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker });
    running = await startCrossBorderService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker });
  });
  afterAll(async () => {
    await running?.stop();
    await cases?.stop();
    await Promise.all([database?.drop(), casesDatabase?.drop()]);
  });

  it('loads records of every kind once, and the period summary reads back as the article’s numbers', async () => {
    const events = async () => Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events`)).rows[0]?.n);
    const first = await loadCrossBorderDemo({ urls: { 'cross-border': running.url }, earlier: {} });
    expect(first.lines.join('\n')).toContain('loaded: 8 Lạng Sơn records');
    expect(first.lines.join('\n')).toContain('needs SHELTER (20-COMMUNE-05977), HEALTH (20-HEALTH)');
    expect(new Set(DEMO_RECORDS.map((r) => r.body['kind']))).toEqual(
      new Set(['MEETING', 'INFORMATION_EXCHANGE', 'JOINT_PATROL', 'JOINT_CASE', 'HANDOVER', 'PERIOD_SUMMARY']),
    );
    const written = await events();
    const second = await loadCrossBorderDemo({ urls: { 'cross-border': running.url }, earlier: {} });
    expect(second.lines.join('\n')).toContain('already present');
    expect(await events()).toBe(written);
    // The victim is a person of cases once, and her needs are recorded with the agencies asked.
    const registered = await casesDatabase.pool.query(`SELECT count(*) AS n FROM es_events WHERE event_type = 'PersonRegistered'`);
    expect(Number(registered.rows[0]?.n)).toBe(1);
    const guard = await signDevToken({ agency: '20-BORDER_GUARD', roles: ['caseworker'], units: ['20'] });
    const victimRecordId = first.facts?.['victimSupportRecordId'] as string;
    const record = (await (await fetch(`${running.url}/api/v1/records/${victimRecordId}`, { headers: { authorization: `Bearer ${guard}` } })).json()) as {
      persons: Array<{ needs: unknown; casesPersonId: string | null }>;
    };
    expect(record.persons).toEqual([expect.objectContaining({ needs: DEMO_VICTIM_NEEDS, supportAgency: null, casesPersonId: expect.any(String) })]);

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
