/**
 * Issue 15 end to end, distributed: cases, campaigns and projections each on a throwaway database
 * of the real PostgreSQL, talking only through a NATS JetStream of this file's own (the services'
 * durable consumers have fixed names and would compete with other runs on a shared server). The
 * PPC adopts plan 146 in campaigns, a commune records an activity, a commune officer starts a rehab
 * case in cases — all over HTTP — and the analyst reads the indicators move in projections, with the
 * plan's targets beside them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import type { Migration } from '@haidang/event-store';
import type { EventBus } from '@haidang/messaging';
import { openEventBus } from '@haidang/service-runtime';
import { startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, campaignsService } from '../../apps/campaigns/src/campaigns-service';
import { PLAN_146 } from '../../apps/campaigns/src/demo/demo-data';
import { casesMigrations, casesService } from '../../apps/cases/src/cases-service';
import { projectionsMigrations, projectionsService } from '../../apps/projections/src/projections-service';

jest.setTimeout(180_000);

const COMMUNE = '06793';
const COMMUNE_AGENCY = `22-COMMUNE-${COMMUNE}`;

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, method: 'GET' | 'POST', path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

describe('indicators move when agencies work (PostgreSQL + NATS JetStream, one database per service)', () => {
  let nats: NatsServerHandle;
  let bus: EventBus;
  const databases: TestDatabase[] = [];
  const services: RunningService[] = [];
  let cases: RunningService;
  let campaigns: RunningService;
  let projections: RunningService;
  let analyst: string;

  const indicator = async (code: string, query = 'period=plan'): Promise<Record<string, unknown> | undefined> => {
    const reply = await call(projections.url, 'GET', `/api/v1/indicators?provinceCode=22&${query}&codes=${code}`, analyst);
    expect(reply.status).toBe(200);
    return (reply.body['items'] as Array<Record<string, unknown>>)[0];
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await openEventBus(nats.url);
    const start = async (definition: ServiceDefinition, migrations: readonly Migration[]) => {
      const database = await createTestDatabase({ migrations });
      databases.push(database);
      const running = await startService(definition, { databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: nats.url, bus });
      services.push(running);
      return running;
    };
    cases = await start(casesService, casesMigrations);
    campaigns = await start(campaignsService, campaignsMigrations);
    projections = await start(projectionsService, projectionsMigrations);
    analyst = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'] });
  });
  afterAll(async () => {
    for (const running of services.reverse()) await running.stop().catch(() => undefined);
    await bus?.close();
    await nats?.stop();
    for (const database of databases) await database.drop();
  });

  it("shows plan 146's targets once campaigns adopts it, then the activity and the rehab admission", async () => {
    const ppc = await signDevToken({ agency: '22-PPC', roles: ['caseworker'], units: ['22'] });
    const adopted = await call(campaigns.url, 'POST', '/api/v1/plans', ppc, PLAN_146);
    expect(adopted.status).toBe(201);
    const planId = adopted.body['id'] as string;

    await waitFor(async () => (await indicator('REHAB_ADMISSIONS_COMMUNITY'))?.['target'] !== null, { timeoutMs: 60_000 });
    expect(await indicator('REHAB_ADMISSIONS_COMMUNITY')).toMatchObject({ value: 0, target: { value: 150 }, period: { kind: 'PLAN', label: planId } });
    expect(await indicator('COMMUNES_WITH_ACTIVITY', 'period=2022-Q3&unitLevel=COMMUNE&unitCode=06793')).toMatchObject({ value: 0, target: { value: 100 } });

    // A commune records an activity in campaigns.
    const commune = await signDevToken({ agency: COMMUNE_AGENCY, roles: ['caseworker'], units: [COMMUNE] });
    const activity = await call(campaigns.url, 'POST', '/api/v1/activities', commune, {
      communeCodes: [COMMUNE],
      heldOn: '2022-07-12',
      form: 'MEETING',
      venueType: 'RESIDENTIAL_AREA',
      audienceType: 'GENERAL_PUBLIC',
      audienceCount: 60,
      campaignMonth: null,
      planId,
    });
    expect(activity.status).toBe(201);
    await waitFor(async () => (await indicator('COMMUNES_WITH_ACTIVITY', 'period=2022-Q3'))?.['numerator'] === 1, { timeoutMs: 60_000 });
    expect(await indicator('COMMUNES_WITH_ACTIVITY', 'period=2022-Q3&unitLevel=COMMUNE&unitCode=06793')).toMatchObject({ value: 100 });

    // A commune officer registers a person and starts community rehab in cases.
    const officer = await signDevToken({ agency: COMMUNE_AGENCY, roles: ['caseworker'], units: [COMMUNE], sub: `e2e-${randomBytes(4).toString('hex')}` });
    const tail = String(randomBytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0');
    const person = await call(cases.url, 'POST', '/api/v1/persons', officer, {
      fullName: 'Trần Văn Kiên',
      personalId: `022091${tail}`,
      dateOfBirth: '1991-04-12',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: COMMUNE, address: 'Tổ 7, khu 2' },
      phone: '0912000111',
    });
    expect(person.status).toBe(201);
    const opened = await call(cases.url, 'POST', '/api/v1/rehab-cases', officer, {
      personId: person.body['id'],
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '27/QĐ-UBND', decisionDate: '2022-07-01', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    expect(opened.status).toBe(201);
    const started = await call(
      cases.url,
      'POST',
      `/api/v1/rehab-cases/${opened.body['id'] as string}/start`,
      officer,
      { startedOn: '2022-07-04' },
      { 'if-match': '"1"' },
    );
    expect(started.status).toBe(200);

    await waitFor(async () => (await indicator('REHAB_ADMISSIONS_COMMUNITY'))?.['value'] === 1, { timeoutMs: 60_000 });
    expect(await indicator('REHAB_ADMISSIONS')).toMatchObject({ value: 1, target: { value: 900 }, shareAchieved: 0.001 });
    // One person in one commune: hidden from the province's analyst at the commune level, shown to the commune.
    expect(await indicator('REHAB_ADMISSIONS', 'period=2022-Q3&unitLevel=COMMUNE&unitCode=06793')).toMatchObject({ suppressed: true, value: null });
    const communeAnalyst = await signDevToken({ agency: COMMUNE_AGENCY, roles: ['analyst'], units: [COMMUNE] });
    const own = await call(
      projections.url,
      'GET',
      `/api/v1/indicators?provinceCode=22&period=2022-Q3&unitLevel=COMMUNE&unitCode=${COMMUNE}&codes=REHAB_ADMISSIONS`,
      communeAnalyst,
    );
    expect((own.body['items'] as unknown[])[0]).toMatchObject({ value: 1, suppressed: false });

    // The commune's working list has the case (ids and codes, due by its expected end).
    const list = await call(projections.url, 'GET', '/api/v1/worklists/commune-caseload?dueWithinDays=365', officer);
    expect(list.status).toBe(200);
    expect(list.body['casesDue']).toEqual([expect.objectContaining({ caseId: opened.body['id'], communeCode: COMMUNE, form: 'VOLUNTARY_COMMUNITY' })]);

    const metrics = await (await fetch(`${projections.url}/metrics`)).text();
    expect(metrics).toMatch(/haidang_projection_commit_to_read_model_seconds_count\{source="cases"\} [1-9]/);
  });
});
