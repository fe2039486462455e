/**
 * Cases and referrals acting on each other's integration events, as `npm start` runs them: each
 * service on its own database, one in-process event bus and request/reply broker between them
 * (the same ports JetStream and NATS implement; the separate-process run over real NATS is
 * test/referrals-flow.e2e.spec.ts).
 * - A facility accepts a REHAB_ADMISSION referral → cases records the admission on the case, once.
 * - Cases records a completed rehab → referrals proposes a job-counselling referral to the
 *   employment centre, a draft in the outbox of the agency that recorded the completion.
 * - Cases erases a person → referrals shreds its own key: the referral's reason is unreadable there too.
 */
import { signDevToken } from '@haidang/auth';
import { randomUUID } from 'node:crypto';
import { CasesIntegrationEventTypes } from '@haidang/contracts';
import { InMemoryDeadLetters, InProcessEventBus, InProcessRpcBroker, silentLogger } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { CasesEventsProcessManagers } from '../../apps/referrals/src/integration/cases-events.process-managers';
import { CommandPipeline } from '@haidang/service-kit';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(120_000);

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

async function call(url: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
}

describe('cases ⇄ referrals through integration events (in-process bus)', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let bus: InProcessEventBus;
  let cases: CasesService;
  let referrals: ReferralsService;
  let commune: string;
  let facility: string;
  let centre: string;

  const person = async (fullName: string) => {
    const created = await call(cases.url, 'POST', '/api/v1/persons', commune, {
      fullName,
      dateOfBirth: '1989-04-04',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 4, khu 2' },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const caseHistory = async (caseId: string) =>
    (await call(cases.url, 'GET', `/api/v1/rehab-cases/${caseId}/history`, commune)).body.items as { type: string; agency: string }[];
  const outgoing = async (token: string) => (await call(referrals.url, 'GET', '/api/v1/referrals?direction=outgoing', token)).body as { items: Body[] };

  beforeAll(async () => {
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    bus = new InProcessEventBus();
    const broker = new InProcessRpcBroker();
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    referrals = await startReferralsService({ databaseUrl: referralsDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    [commune, facility, centre] = await Promise.all([
      signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] }),
      signDevToken({ agency: '22-REHAB_FACILITY-1', roles: ['caseworker'], units: ['22'] }),
      signDevToken({ agency: '22-EMPLOYMENT_CENTRE', roles: ['caseworker'], units: ['22'] }),
    ]);
  });
  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await bus?.close();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('records the admission in cases when the facility accepts a rehab-admission referral — once', async () => {
    const personId = await person('Trịnh Văn Khoa');
    const registered = await call(cases.url, 'POST', '/api/v1/rehab-cases', commune, { personId, source: 'POLICE_DETECTION', registeredOn: '2026-11-02' });
    expect(registered.status).toBe(201);
    const caseId = registered.body.id as string;
    const created = await call(referrals.url, 'POST', '/api/v1/referrals', commune, {
      personId,
      caseId,
      toAgency: '22-REHAB_FACILITY-1',
      serviceType: 'REHAB_ADMISSION',
      reason: 'Xác định nghiện; gia đình đồng ý đưa vào cơ sở.',
      urgency: 'NORMAL',
      consent: { given: true, recordedOn: '2026-11-02', scope: { services: ['REHAB_ADMISSION'], treatmentData: true } },
    });
    expect(created.status).toBe(201);
    const referralId = created.body.id as string;
    const accepted = await call(
      referrals.url,
      'POST',
      `/api/v1/referrals/${referralId}/accept`,
      facility,
      {},
      { 'if-match': '"0"', 'idempotency-key': 'accept-admission-0001' },
    );
    expect(accepted.status).toBe(200);
    await waitFor(async () => (await caseHistory(caseId)).some((h) => h.type === 'FacilityAdmissionRecorded'), {
      timeoutMs: 15_000,
      description: 'the admission in cases',
    });
    // A retried accept changes nothing in referrals, so nothing more reaches cases.
    expect(
      (
        await call(
          referrals.url,
          'POST',
          `/api/v1/referrals/${referralId}/accept`,
          facility,
          {},
          { 'if-match': '"0"', 'idempotency-key': 'accept-admission-0001' },
        )
      ).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const admissions = (await caseHistory(caseId)).filter((h) => h.type === 'FacilityAdmissionRecorded');
    expect(admissions).toHaveLength(1);
    expect(admissions[0]?.agency).toBe('22-REHAB_FACILITY-1');
  });

  it('proposes a job-counselling draft to the employment centre when cases records a completed rehab', async () => {
    const personId = await person('Lý Văn Tài');
    const registered = await call(cases.url, 'POST', '/api/v1/rehab-cases', commune, {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '21/QĐ-UBND', decisionDate: '2022-03-10', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    const caseId = registered.body.id as string;
    expect((await call(cases.url, 'POST', `/api/v1/rehab-cases/${caseId}/start`, commune, { startedOn: '2022-03-15' }, { 'if-match': '"1"' })).status).toBe(
      200,
    );
    expect(
      (await call(cases.url, 'POST', `/api/v1/rehab-cases/${caseId}/completion`, commune, { completedOn: '2022-09-15' }, { 'if-match': '"2"' })).status,
    ).toBe(200);
    const draft = await waitFor(async () => (await outgoing(commune)).items.find((i) => i.caseId === caseId), {
      timeoutMs: 15_000,
      description: 'the draft in the commune outbox',
    });
    expect(draft).toMatchObject({ status: 'DRAFT', serviceType: 'JOB_COUNSELLING', toAgency: '22-EMPLOYMENT_CENTRE', fromAgency: '22-COMMUNE-06793' });
    // Proposed, not sent: the centre has nothing in its inbox.
    const inbox = (await call(referrals.url, 'GET', '/api/v1/referrals?direction=incoming', centre)).body as { items: Body[] };
    expect(inbox.items.some((i) => i.caseId === caseId)).toBe(false);
    // The sender may send it to a non-state receiver: its reason says nothing of rehab (treatment data).
    const id = draft.id as string;
    const reason = (await call(referrals.url, 'GET', `/api/v1/referrals/${id}`, commune)).body.reason as string;
    expect(reason).toMatch(/tư vấn, giới thiệu việc làm/i);
    expect(reason).not.toMatch(/rehab|cai nghiện|addict|drug|ma túy|methadone|HIV/i);
    // The commune sends it; then the centre sees it.
    const sent = await call(referrals.url, 'POST', `/api/v1/referrals/${id}/sending`, commune, {}, { 'if-match': '"0"' });
    expect([sent.status, sent.body]).toEqual([200, expect.anything()]);
  });

  it('shreds the person’s key in referrals when cases erases the person', async () => {
    const personId = await person('Hà Văn Sơn');
    const created = await call(referrals.url, 'POST', '/api/v1/referrals', commune, {
      personId,
      toAgency: '22-EMPLOYMENT_CENTRE',
      serviceType: 'JOB_PLACEMENT',
      reason: 'Cần việc làm sau cai nghiện, đã có chứng chỉ hàn.',
      urgency: 'NORMAL',
    });
    expect(created.status).toBe(201);
    const referralId = created.body.id as string;
    expect((await call(referrals.url, 'GET', `/api/v1/referrals/${referralId}`, commune)).body.reason).toBe(
      'Cần việc làm sau cai nghiện, đã có chứng chỉ hàn.',
    );
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    expect((await call(cases.url, 'POST', `/api/v1/persons/${personId}/erasure`, dpo, { reference: 'DP-2026-011' }, { 'if-match': '"0"' })).status).toBe(200);
    await waitFor(() => referrals.protector.isErased(personId), { timeoutMs: 15_000, description: 'the key shredded in referrals' });
    referrals.protector.clearCache();
    const read = await call(referrals.url, 'GET', `/api/v1/referrals/${referralId}`, commune);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain('chứng chỉ hàn');
  });

  it('proposes nothing for a person erased before their rehab was completed: the message is settled, not retried', async () => {
    const personId = await person('Mai Văn Đức');
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    expect((await call(cases.url, 'POST', `/api/v1/persons/${personId}/erasure`, dpo, { reference: 'DP-2026-012' }, { 'if-match': '"0"' })).status).toBe(200);
    await waitFor(() => referrals.protector.isErased(personId), { timeoutMs: 15_000, description: 'the key shredded in referrals' });
    // What the consumer hands the process manager for a completion that arrives after the erasure.
    const managers = new CasesEventsProcessManagers({
      bus,
      referrals: referrals.service.app.get(CommandPipeline),
      protector: referrals.protector,
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
    });
    const caseId = randomUUID();
    const completed = {
      type: CasesIntegrationEventTypes.RehabCompletedV1,
      version: 1,
      eventId: randomUUID(),
      caseId,
      personId,
      form: 'VOLUNTARY_COMMUNITY',
      communeCode: '06793',
      recordedByAgency: '22-COMMUNE-06793',
      occurredAt: new Date().toISOString(),
      completedOn: '2022-09-15',
    };
    const message = {
      id: randomUUID(),
      type: completed.type,
      schemaVersion: 1,
      streamId: 'x',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      created: new Date(),
      data: completed,
      metadata: {},
    };
    await expect(managers.proposeJobCounselling(message as never)).resolves.toBeUndefined();
    expect((await outgoing(commune)).items.some((i) => i.caseId === caseId)).toBe(false);
  });
});
