/**
 * The demo data `npm start` loads, against a real cases service and PostgreSQL: every scenario is
 * accepted by the rules of issue 11 (court-only reduction, minimum age, Cedemex pilot, management of
 * illegal drug users, agencies holding their functions), and a second load writes nothing.
 */
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';
import { demoDrugUserManagementId, demoFollowUpCaseId, loadDemoData } from './demo-data';

jest.setTimeout(180_000);

describe('cases demo data', () => {
  let database: TestDatabase;
  let cases: CasesService;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('loads once, with Lạng Sơn cases, a compulsory course after a relapse and the managements of illegal drug users', async () => {
    const first = await loadDemoData(cases.url);
    expect(first).toMatchObject({ loaded: true, persons: 36, cases: 35 });
    const events = async () => Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
    const written = await events();
    expect((await loadDemoData(cases.url)).loaded).toBe(false);
    expect(await events()).toBe(written);

    const read = async (agency: string, units: string[], path: string) => {
      const token = await signDevToken({ agency, roles: ['caseworker'], units });
      const response = await fetch(`${cases.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const afterRelapse = await read('22-POLICE', ['22'], `/api/v1/rehab-cases/${demoFollowUpCaseId('p10')}`);
    expect(afterRelapse.body).toMatchObject({ form: 'COMPULSORY_FACILITY', status: 'COMPLETED', legalBasis: { issuedBy: 'COURT' } });
    const langSon = await read('20-COMMUNE-06184', ['06184'], `/api/v1/drug-user-managements/${demoDrugUserManagementId('p34')}`);
    expect(langSon.body).toMatchObject({ status: 'IN_PROGRESS', legalBasis: { decisionNo: '234/QĐ-UBND', issuedBy: 'COMMUNE_CHAIR' } });
  });
});
