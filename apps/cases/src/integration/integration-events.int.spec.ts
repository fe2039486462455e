/**
 * The cases service between services, on the in-process bus of the embedded default (the same
 * EventBus port JetStream implements): it publishes `cases.RehabStarted.v1` / `cases.RehabCompleted.v1`
 * through its outbox, and records a facility admission when the referrals service publishes an
 * accepted REHAB_ADMISSION referral — once, however often the message comes.
 */
import { randomUUID } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { CasesIntegrationEventTypes, ReferralsIntegrationEventTypes, validateCasesIntegrationEvent, type ReferralAcceptedV1 } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { InMemoryDeadLetters, InProcessEventBus, OutboxPublisher, silentLogger, writeOutboxMessage } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(60_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('cases integration events and the facility-admission process manager', () => {
  let database: TestDatabase;
  let bus: InProcessEventBus;
  let cases: CasesService;
  let commune: string;
  let personId: string;
  const received: RecordedEvent[] = [];
  let referrals: OutboxPublisher;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${commune}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  /** What the referrals service would publish: its own outbox row, sent by its own publisher. */
  const referralAccepted = async (over: Partial<ReferralAcceptedV1> & { caseId: string | null }, outboxId = randomUUID()) => {
    const data: ReferralAcceptedV1 = {
      type: ReferralsIntegrationEventTypes.ReferralAcceptedV1,
      version: 1,
      eventId: randomUUID(),
      referralId: randomUUID(),
      personId,
      serviceType: 'REHAB_ADMISSION',
      fromAgency: '22-COMMUNE-06793',
      toAgency: '22-REHAB_FACILITY-1',
      acceptedOn: '2026-08-04',
      occurredAt: new Date().toISOString(),
      ...over,
    };
    await writeOutboxMessage(database.pool, { id: outboxId, service: 'referrals', eventName: 'ReferralAccepted', version: 1, data: { ...data } });
    return data;
  };
  const history = async (caseId: string) =>
    (await call('GET', `/api/v1/rehab-cases/${caseId}/history`)).body.items as { type: string; agency: string; actor: string }[];

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    bus = new InProcessEventBus();
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', bus });
    referrals = new OutboxPublisher({ pool: database.pool, bus, service: 'referrals', logger: silentLogger, pollIntervalMs: 50 });
    referrals.start();
    await bus.consume({
      durable: 'test-cases-integration',
      filterSubjects: ['int.cases.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (e) => void received.push(e),
    });
    commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const person = await call('POST', '/api/v1/persons', {
      fullName: 'Vũ Văn Bình',
      dateOfBirth: '1991-03-03',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 7' },
    });
    expect(person.status).toBe(201);
    personId = person.body.id as string;
  });
  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await bus?.close();
    await database?.drop();
  });

  it('publishes RehabStarted and RehabCompleted v1 with codes and ids only, once each', async () => {
    const created = await call('POST', '/api/v1/rehab-cases', {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2022-03-10', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    const caseId = created.body.id as string;
    expect((await call('POST', `/api/v1/rehab-cases/${caseId}/start`, { startedOn: '2022-03-15' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await call('POST', `/api/v1/rehab-cases/${caseId}/completion`, { completedOn: '2022-09-15' }, { 'if-match': '"2"' })).status).toBe(200);
    await waitFor(() => received.filter((e) => (e.data as { caseId?: string }).caseId === caseId).length === 2, { timeoutMs: 15_000 });
    const mine = received.filter((e) => (e.data as { caseId?: string }).caseId === caseId);
    expect(mine.map((e) => e.type)).toEqual([CasesIntegrationEventTypes.RehabStartedV1, CasesIntegrationEventTypes.RehabCompletedV1]);
    for (const event of mine) expect(validateCasesIntegrationEvent(event.data)).toMatchObject({ ok: true });
    expect(mine[1]?.data).toMatchObject({
      caseId,
      personId,
      form: 'VOLUNTARY_COMMUNITY',
      communeCode: '06793',
      recordedByAgency: '22-COMMUNE-06793',
      completedOn: '2022-09-15',
    });
    // The domain events' ids, as consumers dedupe on them.
    const domain = (
      await database.pool.query<{ event_id: string; event_type: string }>(
        `SELECT event_id::text, event_type FROM es_events WHERE stream_name = $1 AND event_type IN ('RehabStarted', 'RehabCompleted') ORDER BY stream_revision`,
        [`RehabCase-${caseId}`],
      )
    ).rows;
    expect(mine.map((e) => (e.data as { eventId: string }).eventId)).toEqual(domain.map((r) => r.event_id));
    expect(JSON.stringify(mine.map((e) => e.data))).not.toContain('Vũ Văn Bình');
  });

  it('tells other services when a person is erased, by id only', async () => {
    const person = await call('POST', '/api/v1/persons', {
      fullName: 'Đỗ Thị Hoa',
      dateOfBirth: '1993-09-09',
      sex: 'FEMALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 9' },
    });
    const id = person.body.id as string;
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    const erased = await fetch(`${cases.url}/api/v1/persons/${id}/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dpo}`, 'if-match': '"0"' },
      body: JSON.stringify({ reference: 'DP-2026-007' }),
    });
    expect(erased.status).toBe(200);
    await waitFor(() => received.some((e) => e.type === CasesIntegrationEventTypes.PersonErasedV1 && (e.data as { personId?: string }).personId === id), {
      timeoutMs: 15_000,
    });
    const event = received.find((e) => e.type === CasesIntegrationEventTypes.PersonErasedV1 && (e.data as { personId?: string }).personId === id);
    expect(validateCasesIntegrationEvent(event?.data)).toMatchObject({ ok: true });
    expect(JSON.stringify(event?.data)).not.toContain('DP-2026-007');
  });

  it('records the admission when a facility accepts a REHAB_ADMISSION referral, once however often it is delivered', async () => {
    const created = await call('POST', '/api/v1/rehab-cases', { personId, source: 'POLICE_DETECTION', registeredOn: '2026-08-03' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const accepted = await referralAccepted({ caseId });
    await waitFor(async () => (await history(caseId)).some((h) => h.type === 'FacilityAdmissionRecorded'), { timeoutMs: 15_000 });
    // The same event again, under another outbox row (a re-translation): nothing more is recorded.
    await referralAccepted({ ...accepted, caseId });
    // And a referral for another service, one accepted by a commune (rehab at home), and one without a case: ignored.
    await referralAccepted({ caseId, serviceType: 'COUNSELLING' });
    await referralAccepted({ caseId, toAgency: '22-COMMUNE-06793' });
    await referralAccepted({ caseId: null });
    const unpublished = async () =>
      Number(
        (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM messaging_outbox WHERE service = 'referrals' AND published_at IS NULL`)).rows[0]
          ?.n,
      );
    await waitFor(async () => (await unpublished()) === 0, { timeoutMs: 5_000 });
    // The consumer takes them one at a time, in order; give it a moment past the last.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const steps = await history(caseId);
    const admissions = steps.filter((h) => h.type === 'FacilityAdmissionRecorded');
    expect(admissions).toHaveLength(1);
    expect(admissions[0]).toMatchObject({ agency: '22-REHAB_FACILITY-1', actor: 'system:cases/facility-admissions' });
    const read = await call('GET', `/api/v1/rehab-cases/${caseId}`);
    expect(read.body).toMatchObject({ status: 'REGISTERED' });
  });

  it('dead-letters at once an admission no retry can record (the course has ended), instead of losing it', async () => {
    const created = await call('POST', '/api/v1/rehab-cases', {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '16/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    const caseId = created.body.id as string;
    expect((await call('POST', `/api/v1/rehab-cases/${caseId}/start`, { startedOn: '2026-08-05' }, { 'if-match': '"1"' })).status).toBe(200);
    expect(
      (await call('POST', `/api/v1/rehab-cases/${caseId}/discontinuation`, { discontinuedOn: '2026-08-20', reason: 'ABSCONDED' }, { 'if-match': '"2"' }))
        .status,
    ).toBe(200);
    await referralAccepted({ caseId });
    await waitFor(
      async () =>
        Number(
          (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM messaging_dead_letters WHERE consumer = 'cases-facility-admissions'`)).rows[0]
            ?.n,
        ) === 1,
      {
        timeoutMs: 10_000,
      },
    );
    const [letter] = (await database.pool.query<{ error: string }>(`SELECT error FROM messaging_dead_letters WHERE consumer = 'cases-facility-admissions'`))
      .rows;
    expect(letter?.error).toContain('admission-after-end');
    expect((await history(caseId)).some((h) => h.type === 'FacilityAdmissionRecorded')).toBe(false);
  });
});
