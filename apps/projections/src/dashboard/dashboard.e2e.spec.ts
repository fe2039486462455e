/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the real
 * projections service on real PostgreSQL, fed through the in-process event bus as `npm start` runs
 * it: a plan and a year of meetings (two communes in three, spread over the quarters) through the
 * campaigns service's own API, and
 * `cases.RehabStarted.v1` events of the contract for three communes (small numbers to suppress):
 * - the page and its files come from the service, under a CSP of `'self'` only and `no-store`, and
 *   the browser reports no CSP violation and no script error;
 * - with a token pasted in, the table shows, cell by cell, the numbers of `GET /api/v1/indicators`
 *   for the same query (suppressed cells marked), and each chart holds the values of
 *   `GET /api/v1/indicators/{code}/series`;
 * - the English toggle relabels the page and shows the same numbers in English format;
 * - a screenshot is saved to bench/results/dashboard.png.
 * It fails, and does not skip, when Chromium is missing: CI installs it.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { signDevToken } from '@haidang/auth';
import { listCommunes } from '@haidang/jurisdiction';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { startService, type RunningService } from '@haidang/service-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { projectionsMigrations, startProjectionsService, type ProjectionsService } from '../projections-service';
import {
  cellsOf,
  descriptorOf,
  getJson,
  meetingIn,
  migrationsOf,
  numberShown,
  postToCampaigns,
  publishRehabStarts,
  SMALL_PLAN,
  type ApiCell,
} from './projections-seed.test-fixtures';
import { DASHBOARD_CSP } from './dashboard.http.controller';

jest.setTimeout(300_000);

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const SCREENSHOT = join(__dirname, '..', '..', '..', '..', 'bench', 'results', 'dashboard.png');

/** The filters the test sets on the page, and the same query to the API. */
const QUERY = { provinceCode: '22', unitLevel: 'COMMUNE', period: '2022' } as const;

interface ShownRow {
  readonly code: string;
  readonly unit: string;
  readonly className: string;
  readonly label: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly value: string;
  readonly target: string;
  readonly share: string;
}

describe('dashboard in Chromium', () => {
  let campaignsDb: TestDatabase;
  let projectionsDb: TestDatabase;
  let bus: InProcessEventBus;
  let campaigns: RunningService;
  let projections: ProjectionsService;
  let browser: Browser;
  let page: Page;
  let analyst: string;
  const scriptErrors: string[] = [];

  const api = async (path: string) => {
    const reply = await getJson(`${projections.url}${path}`, analyst);
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const apiCells = async () => cellsOf(await api(`/api/v1/indicators?${new URLSearchParams(QUERY).toString()}`));

  beforeAll(async () => {
    // No silent skip: a machine without Chromium fails here, with what to install.
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (CI installs it when missing)`);
    const campaignsService = descriptorOf('campaigns');
    [campaignsDb, projectionsDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(campaignsService) }),
      createTestDatabase({ migrations: projectionsMigrations }),
    ]);
    bus = new InProcessEventBus();
    const rpcBroker = new InProcessRpcBroker();
    const settings = { port: 0, logLevel: 'silent', natsUrl: '', rpcBroker, bus } as const;
    campaigns = await startService(campaignsService, { ...settings, databaseUrl: campaignsDb.url });
    projections = await startProjectionsService({ ...settings, databaseUrl: projectionsDb.url });
    analyst = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'] });
    const communes = listCommunes('22')
      .map((c) => c.code)
      .sort();
    const [first, second, third] = communes;
    const token = (agency: string, units: readonly string[]) => signDevToken({ agency, roles: ['caseworker'], units: [...units] });
    const plan = await postToCampaigns(campaigns.url, '22-PPC', ['22'], '/api/v1/plans', 'dashboard-test-plan', SMALL_PLAN, token);
    const withMeeting = communes.filter((_, i) => i % 3 !== 2);
    await Promise.all(
      withMeeting.map((code, i) =>
        postToCampaigns(
          campaigns.url,
          `22-COMMUNE-${code}`,
          [code],
          '/api/v1/activities',
          `dashboard-test-meeting-${code}`,
          meetingIn(code, `2022-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-15`, plan.id),
          token,
        ),
      ),
    );
    const startedIn2022 = await publishRehabStarts(bus, [
      { communeCode: first as string, startedOn: '2022-03-14', count: 12 },
      { communeCode: second as string, startedOn: '2022-05-09', count: 2 },
      { communeCode: third as string, startedOn: '2022-08-22', count: 7 },
    ]);
    await waitFor(
      async () => {
        const [cell] = cellsOf(await api('/api/v1/indicators?provinceCode=22&unitLevel=PROVINCE&period=2022&codes=REHAB_ADMISSIONS'));
        return cell?.numerator === startedIn2022;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'the projections applied the 2022 admissions' },
    );
    await waitFor(
      async () => {
        const [cell] = cellsOf(await api('/api/v1/indicators?provinceCode=22&unitLevel=PROVINCE&period=2022&codes=COMMUNES_WITH_ACTIVITY'));
        return cell?.numerator === withMeeting.length && cell.target?.value === 100;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'the projections applied the plan and the meetings' },
    );

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    // The CSP reports each refusal as an event in the page: collect them.
    // (Scripts for the page are strings: this code is type-checked for Node, without the DOM's types.)
    await page.addInitScript(`
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
    `);
  });
  afterAll(async () => {
    await browser?.close();
    await projections?.stop();
    await campaigns?.stop();
    await bus?.close();
    await Promise.all([campaignsDb?.drop(), projectionsDb?.drop()]);
  });

  const shownRows = (): Promise<ShownRow[]> =>
    page.$$eval('#indicators tbody tr', (rows) =>
      rows.map((row) => {
        const text = (selector: string) => row.querySelector(selector)?.textContent ?? '';
        return {
          code: row.getAttribute('data-code') ?? '',
          unit: row.getAttribute('data-unit') ?? '',
          className: row.className,
          label: text('td.label'),
          numerator: text('td.numerator'),
          denominator: text('td.denominator'),
          value: text('td.value'),
          target: text('td.target'),
          share: text('td.share'),
        };
      }),
    );

  /** Every row of the page against every cell of the API, in order: same cell, same numbers. */
  function expectSameNumbers(rows: readonly ShownRow[], cells: readonly ApiCell[], language: 'vi' | 'en'): void {
    expect(rows.map((r) => `${r.code}@${r.unit}`)).toEqual(cells.map((c) => `${c.code}@${c.unitCode}`));
    const suppressedMark = language === 'vi' ? 'ẩn' : 'suppressed';
    const close = (shown: string, expected: number | null, decimals: number) => {
      if (expected === null) return expect(shown).toBe('');
      const parsed = numberShown(shown, language);
      expect(parsed).toBeDefined();
      expect(Math.abs((parsed as number) - expected)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
    };
    cells.forEach((cell, i) => {
      const row = rows[i] as ShownRow;
      expect(row.label).toBe(language === 'vi' ? cell.labelVi : cell.labelEn);
      if (cell.suppressed) {
        for (const shown of [row.numerator, row.denominator, row.value, row.share]) expect(shown).toBe(suppressedMark);
        expect(row.className).toBe('share-suppressed');
        return;
      }
      const percent = cell.target?.unit === 'PERCENT';
      close(row.numerator, cell.numerator, 2);
      close(row.denominator, cell.denominator, 2);
      close(row.value, cell.value, percent ? 1 : 2);
      close(row.target, cell.target?.value ?? null, percent ? 1 : 2);
      close(row.share, cell.shareAchieved === null ? null : cell.shareAchieved * 100, 1);
      const share = cell.shareAchieved;
      expect(row.className).toBe(share === null ? 'share-none' : share >= 1 ? 'share-met' : share >= 0.75 ? 'share-near' : 'share-behind');
    });
  }

  it('serves the page and its files itself, under a CSP of self only and no-store', async () => {
    const response = await page.goto(`${projections.url}/dashboard`);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|https:|http:/);
    expect(headers['cache-control']).toBe('no-store');
    expect(await page.title()).toBe('Hải Đăng — Tiến độ thực hiện kế hoạch');
    // chart.js came from this service (no CDN: the machine is offline) and defined its global.
    expect(await page.evaluate('typeof window.Chart')).toBe('function');
    const chartFile = await fetch(`${projections.url}/dashboard/assets/chart.umd.min.js`);
    expect(chartFile.status).toBe(200);
    expect(chartFile.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await chartFile.text()).toMatch(/Chart\.js v4\.6\.1/);
    expect((await fetch(`${projections.url}/dashboard/assets/..%2Fdashboard.http.controller.ts`)).status).toBe(404);
    expect((await fetch(`${projections.url}/dashboard/assets/index.html`)).status).toBe(404);
  });

  it('shows, with a token pasted in, the numbers the API answers for the same query, cell by cell, and a chart per indicator', async () => {
    await page.fill('#provinceCode', QUERY.provinceCode);
    await page.selectOption('#unitLevel', QUERY.unitLevel);
    await page.fill('#period', QUERY.period);
    await page.fill('#token', analyst);
    await page.click('#save-token');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });
    expect(await page.evaluate("sessionStorage.getItem('haidang.dashboard.token')")).toBe(analyst);

    const cells = await apiCells();
    expect(cells.length).toBeGreaterThan(100);
    // A commune in three held no meeting: the table must show both colours.
    const rows = await shownRows();
    expectSameNumbers(rows, cells, 'vi');
    // A commune's 2 admissions are hidden from the province's analyst (and one more, so that the total gives nothing away), and marked so.
    expect(cells.some((c) => c.suppressed)).toBe(true);
    expect(rows.filter((r) => r.className === 'share-suppressed').length).toBe(cells.filter((c) => c.suppressed).length);
    expect(new Set(rows.filter((r) => r.code === 'COMMUNES_WITH_ACTIVITY').map((r) => r.className))).toEqual(new Set(['share-met', 'share-behind']));

    // Each chart holds the series of the API (province level, the year by quarter).
    const codes = [...new Set(cells.map((c) => c.code))].slice(0, 16);
    const charts = await page.$$eval('figure.series', (figures) =>
      figures.map((figure) => {
        const canvas = figure.querySelector('canvas');
        const chart = (
          globalThis as unknown as { Chart: { getChart(c: unknown): { data: { labels: string[]; datasets: { data: (number | null)[] }[] } } | undefined } }
        ).Chart.getChart(canvas);
        return { code: figure.getAttribute('data-code'), labels: chart?.data.labels ?? [], values: chart?.data.datasets[0]?.data ?? [] };
      }),
    );
    expect(charts.map((c) => c.code)).toEqual(codes);
    for (const chart of charts) {
      const series = (await api(
        `/api/v1/indicators/${chart.code}/series?provinceCode=22&unitLevel=PROVINCE&periodKind=QUARTER&from=2022-01-01&to=2022-12-31`,
      )) as { points: { period: { label: string }; value: number | null; suppressed: boolean }[] };
      expect(chart.labels).toEqual(series.points.map((p) => p.period.label));
      expect(chart.values).toEqual(series.points.map((p) => (p.suppressed ? null : p.value)));
    }
  });

  it('switches to English: labels, headers and number format change, the numbers do not; a screenshot is saved', async () => {
    await page.click('#language');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Plan progress');
    expect(await page.$$eval('#indicators thead th', (ths) => ths.map((th) => th.textContent))).toEqual([
      'Code',
      'Indicator',
      'Administrative unit',
      'Period',
      'Numerator',
      'Denominator',
      'Value',
      'Target',
      'Share achieved',
    ]);
    const cells = await apiCells();
    expectSameNumbers(await shownRows(), cells, 'en');
    expect(await page.textContent('#status')).toBe(`${cells.length} rows loaded.`);
    expect(await page.textContent('#token-state')).toBe('Token saved for this session.');

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);

    // The indicator filter names indicators in the page's language and narrows table and charts to one.
    const label = cells.find((c) => c.code === 'COMMUNES_WITH_ACTIVITY')?.labelEn as string;
    expect(await page.$$eval('#codes option', (options) => options.map((o) => o.textContent))).toContain(label);
    await page.selectOption('#codes', 'COMMUNES_WITH_ACTIVITY');
    await page.click('#load');
    // A function, not a string: the page's CSP refuses eval, Playwright's string form included.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document.querySelectorAll('figure.series')
          .length === 1,
    );
    const one = cellsOf(await api(`/api/v1/indicators?${new URLSearchParams({ ...QUERY, codes: 'COMMUNES_WITH_ACTIVITY' }).toString()}`));
    expectSameNumbers(await shownRows(), one, 'en');
    await page.selectOption('#codes', '');

    // Back to Vietnamese: the page remembers the choice for the session.
    await page.click('#language');
    expect(await page.textContent('h1')).toBe('Tiến độ thực hiện kế hoạch');
  });

  it('a rejected token reads as such on the page, and the browser saw no CSP violation and no script error', async () => {
    expect(await page.isVisible('#token')).toBe(false);
    await page.click('#token-panel summary');
    await page.fill('#token', 'not-a-token');
    await page.click('#save-token');
    await page.waitForSelector('#status.error');
    expect(await page.textContent('#status')).toBe('Mã truy cập không hợp lệ hoặc đã hết hạn.');
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    // The 401 itself is logged by Chromium as a failed resource load; nothing else may be.
    expect(scriptErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  });
});
