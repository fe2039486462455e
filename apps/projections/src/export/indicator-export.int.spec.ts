/**
 * The exports over real HTTP on the real projections service and real PostgreSQL, fed by the
 * campaigns service's own API through the in-process event bus (a small plan, meetings in three
 * communes):
 * - CSV and XLSX hold, row by row, the cells `GET /api/v1/indicators` answers for the same query;
 * - they come as attachments with a file name, `no-store`, the BOM and the Vietnamese formats;
 * - every export is in the access log (who, which query, how many rows), and a refused one is not;
 * - bad input is 400 field by field, no token 401, another role or province 403, an unknown plan 404;
 * - no route is left unguarded (the dashboard's page and files are the only public ones).
 */
import { Workbook } from 'exceljs';
import { readAccessLog } from '@haidang/audit';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { listCommunes } from '@haidang/jurisdiction';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { startService, type RunningService } from '@haidang/service-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import {
  cellsOf,
  descriptorOf,
  getJson,
  meetingIn,
  migrationsOf,
  postToCampaigns,
  SMALL_PLAN,
  type ApiCell,
} from '../dashboard/projections-seed.test-fixtures';
import type { IndicatorCell } from '../indicators/indicator-reader.port';
import { projectionsMigrations, startProjectionsService, type ProjectionsService } from '../projections-service';
import { projectionsPolicy } from '../projections.policy';
import { indicatorsCsv, UTF8_BOM } from './indicator-csv';
import { EXPORT_PURPOSE, indicatorsSubject } from './indicator-export-log';
import { EXPORT_COLUMNS, exportRowOf, SUPPRESSED_MARK } from './indicator-table';
import { SHEET_NAME, XLSX_FORMATS } from './indicator-xlsx';

jest.setTimeout(180_000);

const QUERY = 'provinceCode=22&unitLevel=COMMUNE&period=2022';
const PERSONAL_FIELDS = /fullName|citizenId|dateOfBirth|address|phone|personId/;

describe('indicator exports (CSV, XLSX) over HTTP', () => {
  let campaignsDb: TestDatabase;
  let projectionsDb: TestDatabase;
  let bus: InProcessEventBus;
  let campaigns: RunningService;
  let projections: ProjectionsService;
  let analyst: string;
  let communes: string[];

  const download = async (path: string, token?: string) => {
    const response = await fetch(`${projections.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const apiCells = async (query: string): Promise<ApiCell[]> => {
    const reply = await getJson(`${projections.url}/api/v1/indicators?${query}`, analyst);
    expect(reply.status).toBe(200);
    return cellsOf(reply.body);
  };
  const exportRecords = async () => (await readAccessLog(projections.store, indicatorsSubject('22'))).filter((r) => r.action === 'export');

  beforeAll(async () => {
    const campaignsService = descriptorOf('campaigns');
    [campaignsDb, projectionsDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(campaignsService) }),
      createTestDatabase({ migrations: projectionsMigrations }),
    ]);
    bus = new InProcessEventBus();
    const settings = { port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: new InProcessRpcBroker(), bus } as const;
    campaigns = await startService(campaignsService, { ...settings, databaseUrl: campaignsDb.url });
    projections = await startProjectionsService({ ...settings, databaseUrl: projectionsDb.url });
    analyst = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'] });

    const token = (agency: string, units: readonly string[]) => signDevToken({ agency, roles: ['caseworker'], units: [...units] });
    const plan = await postToCampaigns(campaigns.url, '22-PPC', ['22'], '/api/v1/plans', 'export-test-plan', SMALL_PLAN, token);
    communes = listCommunes('22')
      .map((c) => c.code)
      .sort()
      .slice(0, 3);
    for (const [i, code] of communes.entries())
      await postToCampaigns(
        campaigns.url,
        `22-COMMUNE-${code}`,
        [code],
        '/api/v1/activities',
        `export-test-meeting-${code}`,
        meetingIn(code, `2022-0${i + 3}-15`, plan.id),
        token,
      );
    await waitFor(
      async () => {
        const [cell] = await apiCells('provinceCode=22&unitLevel=PROVINCE&period=2022&codes=COMMUNES_WITH_ACTIVITY');
        return cell?.numerator === 3 && cell.target?.value === 100;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the three meetings and the plan in the projections' },
    );
  });
  afterAll(async () => {
    await projections?.stop();
    await campaigns?.stop();
    await bus?.close();
    await Promise.all([campaignsDb?.drop(), projectionsDb?.drop()]);
  });

  it('exports as CSV exactly the cells the API answers, as an attachment with a file name, BOM, `;` and decimal comma', async () => {
    const before = (await exportRecords()).length;
    const file = await download(`/api/v1/indicators/export.csv?${QUERY}`, analyst);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="chi-tieu_22_COMMUNE_2022.csv"');
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(file.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = file.bytes.toString('utf8');
    const cells = await apiCells(QUERY);
    expect(cells.length).toBeGreaterThan(communes.length);
    // Cell by cell: the file is what the CSV writer makes of the API's own answer.
    expect(text).toBe(indicatorsCsv(cells.map((cell) => exportRowOf(cell as IndicatorCell))));

    const lines = text.slice(UTF8_BOM.length).split('\r\n');
    expect(lines[0]?.split(';')).toEqual(
      expect.arrayContaining(['Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị hành chính', 'Kỳ', 'Tử số', 'Mẫu số', 'Giá trị', 'Chỉ tiêu kế hoạch', 'Tỷ lệ đạt (%)']),
    );
    expect(lines).toHaveLength(cells.length + 2);
    // A commune with a meeting met the 100 % target; one without is at 0.
    const line = (code: string, unit: string) => lines.find((l) => l.startsWith(`${code};`) && l.includes(`;${unit};`))?.split(';');
    expect(line('COMMUNES_WITH_ACTIVITY', communes[0] as string)?.slice(8)).toEqual(['1', '1', '100', '%', '100', '≥', '100']);
    const without = cells.find((c) => c.code === 'COMMUNES_WITH_ACTIVITY' && !communes.includes(c.unitCode))?.unitCode as string;
    expect(line('COMMUNES_WITH_ACTIVITY', without)?.slice(8)).toEqual(['0', '1', '0', '%', '100', '≥', '0']);

    const records = await exportRecords();
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({
      action: 'export',
      purpose: EXPORT_PURPOSE,
      agency: '22-PPC',
      fields: [],
      query: { format: 'csv', provinceCode: '22', unitLevel: 'COMMUNE', period: '2022' },
      rowCount: cells.length,
    });
    expect(records.at(-1)?.actor).toEqual(expect.any(String));
    expect(JSON.stringify(records)).not.toMatch(PERSONAL_FIELDS);
  });

  it('exports as XLSX the same cells, numbers as numbers under Vietnamese formats, and records it', async () => {
    const file = await download(`/api/v1/indicators/export.xlsx?${QUERY}&codes=COMMUNES_WITH_ACTIVITY,REHAB_ADMISSIONS`, analyst);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="chi-tieu_22_COMMUNE_2022.xlsx"');
    const workbook = new Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(SHEET_NAME);
    const cells = await apiCells(`${QUERY}&codes=COMMUNES_WITH_ACTIVITY,REHAB_ADMISSIONS`);
    expect(sheet?.rowCount).toBe(cells.length + 1);
    const column = (key: string) => EXPORT_COLUMNS.findIndex((c) => c.key === key) + 1;
    cells.forEach((cell, i) => {
      const row = sheet?.getRow(i + 2);
      expect([row?.getCell(column('code')).value, row?.getCell(column('unitCode')).value, row?.getCell(column('period')).value]).toEqual([
        cell.code,
        cell.unitCode,
        cell.period.label,
      ]);
      const percent = cell.target?.unit === 'PERCENT';
      if (cell.suppressed) expect(row?.getCell(column('value')).value).toBe(SUPPRESSED_MARK);
      else expect(row?.getCell(column('value')).value).toBe(cell.value === null ? null : percent ? cell.value / 100 : cell.value);
      expect(row?.getCell(column('numerator')).value).toBe(cell.suppressed ? SUPPRESSED_MARK : cell.numerator);
      expect(row?.getCell(column('target')).value).toBe(cell.target === null ? null : percent ? cell.target.value / 100 : cell.target.value);
    });
    const met = cells.findIndex((c) => c.code === 'COMMUNES_WITH_ACTIVITY' && c.unitCode === communes[0]);
    expect(sheet?.getRow(met + 2).getCell(column('value')).numFmt).toBe(XLSX_FORMATS.percent);
    expect(sheet?.getRow(met + 2).getCell(column('shareAchieved')).value).toBe(1);
    expect((await exportRecords()).at(-1)).toMatchObject({
      query: { format: 'xlsx', codes: 'COMMUNES_WITH_ACTIVITY,REHAB_ADMISSIONS' },
      rowCount: cells.length,
    });
  });

  it('refuses bad input field by field (400), no token (401), another role or province (403), an unknown plan (404) — and logs none of them', async () => {
    const before = (await exportRecords()).length;
    const bad = await download('/api/v1/indicators/export.csv?provinceCode=2x&unitLevel=TOWN&period=2022-13&codes=bad%20code', analyst);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(bad.bytes.toString('utf8')) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['codes', 'period', 'provinceCode', 'unitLevel']);
    expect((await download('/api/v1/indicators/export.xlsx?provinceCode=22&period=2022&format=pdf', analyst)).status).toBe(400);
    expect((await download('/api/v1/indicators/export.csv?provinceCode=22&unitCode=06793&period=2022', analyst)).status).toBe(400);

    expect((await download(`/api/v1/indicators/export.csv?${QUERY}`)).status).toBe(401);
    const caseworker = await signDevToken({ agency: '22-PPC', roles: ['caseworker'], units: ['22'] });
    expect((await download(`/api/v1/indicators/export.xlsx?${QUERY}`, caseworker)).status).toBe(403);
    const otherProvince = await signDevToken({ agency: '20-PPC', roles: ['analyst'], units: ['20'] });
    expect((await download(`/api/v1/indicators/export.csv?${QUERY}`, otherProvince)).status).toBe(403);
    const unknownPlan = await download(`/api/v1/indicators/export.csv?${QUERY}&planId=${crypto.randomUUID()}`, analyst);
    expect(unknownPlan.status).toBe(404);
    expect(unknownPlan.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await exportRecords()).toHaveLength(before);
  });

  it('guards every route: the exports name a policy action, only the dashboard page and its files are public', async () => {
    // Scoped to this folder's and the dashboard's routes: the rest of the app is the module owner's to check.
    const problems = findUnguardedHandlers(projections.service.app, { policy: projectionsPolicy });
    expect(problems.filter((problem) => /indicators\/export|\/dashboard/.test(problem))).toEqual([]);

    // … and the OpenAPI document lists both exports with their media types, not the dashboard's files.
    const openApi = (await (await fetch(`${projections.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: { responses?: Record<string, { content?: object }> } }>;
    };
    expect(Object.keys(openApi.paths['/api/v1/indicators/export.csv']?.get?.responses?.['200']?.content ?? {})).toEqual(['text/csv; charset=utf-8']);
    expect(Object.keys(openApi.paths['/api/v1/indicators/export.xlsx']?.get?.responses?.['200']?.content ?? {})).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(Object.keys(openApi.paths).filter((path) => path.startsWith('/dashboard'))).toEqual([]);
  });
});
