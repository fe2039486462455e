/**
 * Issue 5 end to end: cases and referrals as separate processes (`npm run start:cases`,
 * `npm run start:referrals`) on a nats-server of this file's own and two throwaway PostgreSQL
 * databases. The in-process variant of the same flows is test/referrals/referrals-between-services.int.spec.ts.
 *
 * - A commune refers a person with a registered rehab case to the provincial facility; referrals
 *   asks cases over NATS request/reply first. Cases is killed (SIGKILL) before the facility
 *   accepts: the acceptance is recorded anyway, and after the restart cases records the admission
 *   on the case exactly once; killed again and restarted, still once. While cases is down a new
 *   referral is answered 503 and nothing is recorded.
 * - A decline without a reason is refused and changes nothing.
 * - With two referrals processes on one database, a referral past its due date is marked overdue
 *   once, also after the leading deadline checker stops and the other takes over.
 *
 * Own nats-server, not the machine's: the services' durable consumers have fixed names
 * (`cases-facility-admissions`, …) and would compete with other runs' processes for messages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { loadOrCreateDevKeys, signDevToken } from '@haidang/auth';
import { addDays, vietnamDateOf } from '@haidang/calendar';
import { NO_STREAM, PostgresEventStore } from '@haidang/event-store';
import { DEFAULT_EVENT_STREAM } from '@haidang/messaging';
import { loadPiiKeys, PersonalDataProtector } from '@haidang/pii';
import { parseAgencyCode, runWithContext, type Agency } from '@haidang/request-context';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations } from '../apps/cases/src/cases-service';
import { FACILITY_ADMISSIONS_DURABLE } from '../apps/cases/src/integration/facility-admission.process-manager';
import { decide, initialState, isDomainError } from '../apps/referrals/src/referral/domain';
import { referralsMigrations } from '../apps/referrals/src/referrals-service';
import { CommandPipeline, RequestFingerprint } from '@haidang/service-kit';
import { referral } from '../apps/referrals/src/referral/referral.aggregate';
import { spawnNodeScript, type NodeProcess } from './support/node-process';

jest.setTimeout(180_000);

const COMMUNE_CODE = '06793';
const COMMUNE = `22-COMMUNE-${COMMUNE_CODE}`;
const FACILITY = '22-REHAB_FACILITY-1';
/** Both referrals processes check deadlines this often (OVERDUE_CHECK_INTERVAL_MS). */
const OVERDUE_INTERVAL_MS = 300;
/** What referrals' outbox publishes when a referral is accepted, and cases' process manager consumes. */
const ACCEPTED_SUBJECT = 'int.referrals.ReferralAccepted.v1';
const ADMISSION_REASON = 'Xác định nghiện qua kiểm tra của công an; gia đình đề nghị đưa vào cơ sở.';

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly etag: string | null;
  readonly body: Body;
}

async function call(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    etag: response.headers.get('etag'),
    body: (text ? JSON.parse(text) : {}) as Body,
  };
}

function expectProblem(reply: Reply, status: number): void {
  expect({ status: reply.status, contentType: reply.contentType }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
  expect(reply.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

/** The sum of a Prometheus metric's samples at `<url>/metrics` (public route). */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  let sum = 0;
  for (const match of text.matchAll(pattern)) sum += Number(match[1]);
  return sum;
}

describe('referrals ⇄ cases as separate processes over real NATS', () => {
  let nats: NatsServerHandle | undefined;
  let casesDb: TestDatabase | undefined;
  let referralsDb: TestDatabase | undefined;
  let baseEnv: NodeJS.ProcessEnv;
  const processes: NodeProcess[] = [];
  let cases: NodeProcess;
  let casesUrl = '';
  let referralsA: { process: NodeProcess; url: string };
  let commune: string;
  let facility: string;
  let personId = '';
  let caseId = '';
  let admissionId = '';
  const timings: string[] = [];
  const startedAt = Date.now();
  const mark = (what: string) => timings.push(`${what}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  const startCases = async (): Promise<void> => {
    cases = spawnNodeScript('apps/cases/src/main.ts', baseEnv);
    processes.push(cases);
    casesUrl = (await cases.waitFor(/cases listening on (http:\/\/\S+) /, 90_000))[1] as string;
  };
  const startReferrals = async (): Promise<{ process: NodeProcess; url: string }> => {
    const child = spawnNodeScript('apps/referrals/src/main.ts', {
      ...baseEnv,
      DATABASE_URL: referralsDb?.url,
      OVERDUE_CHECK_INTERVAL_MS: String(OVERDUE_INTERVAL_MS),
    });
    processes.push(child);
    return { process: child, url: (await child.waitFor(/referrals listening on (http:\/\/\S+) /, 90_000))[1] as string };
  };

  /** Rows of the referrals log / the cases log, read directly: what the services recorded, whatever their APIs say. */
  const referralEventCount = async (): Promise<number> =>
    Number((await (referralsDb as TestDatabase).pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
  const admissionsInCasesLog = async (): Promise<Array<{ referralId: string; facilityAgency: string }>> =>
    (
      await (casesDb as TestDatabase).pool.query<{ data: { referralId: string; facilityAgency: string } }>(
        `SELECT data FROM es_events WHERE stream_name = $1 AND event_type = 'FacilityAdmissionRecorded'`,
        [`RehabCase-${caseId}`],
      )
    ).rows.map((r) => r.data);
  const caseHistory = async (): Promise<Array<{ type: string; agency: string }>> => {
    const reply = await call(casesUrl, 'GET', `/api/v1/rehab-cases/${caseId}/history`, commune);
    expect(reply.status).toBe(200);
    return reply.body.items as Array<{ type: string; agency: string }>;
  };
  /** Cases' durable consumer of ReferralAccepted, as JetStream sees it. */
  const admissionsConsumer = async (): Promise<ConsumerInfo> => {
    const nc = await connect({ servers: (nats as NatsServerHandle).url, reconnect: false });
    try {
      return await (await jetstreamManager(nc)).consumers.info(DEFAULT_EVENT_STREAM, FACILITY_ADMISSIONS_DURABLE);
    } finally {
      await nc.close();
    }
  };
  /** Publishes the (only) ReferralAccepted on the stream again with a fresh Nats-Msg-Id; resolves with the copy's stream sequence. */
  const publishAcceptedAgain = async (): Promise<number> => {
    const nc = await connect({ servers: (nats as NatsServerHandle).url, reconnect: false });
    try {
      const stored = await (await jetstreamManager(nc)).streams.getMessage(DEFAULT_EVENT_STREAM, { last_by_subj: ACCEPTED_SUBJECT });
      if (!stored) throw new Error('no ReferralAccepted on the stream');
      const copy = natsHeaders();
      for (const [key, values] of stored.header) if (key !== 'Nats-Msg-Id') for (const value of values) copy.append(key, value);
      const ack = await jetstream(nc).publish(stored.subject, stored.data, { headers: copy, msgID: `e2e-duplicate-${randomUUID()}` });
      expect(ack.duplicate).toBe(false);
      return ack.seq;
    } finally {
      await nc.close();
    }
  };
  const admissionReferral = (): Body => ({ personId, caseId, toAgency: FACILITY, serviceType: 'REHAB_ADMISSION', reason: ADMISSION_REASON, urgency: 'NORMAL' });

  beforeAll(async () => {
    // Each kept as soon as it exists, so that afterAll removes it even when another one failed.
    await Promise.all([
      startNatsServer().then((server) => (nats = server)),
      createTestDatabase({ migrations: casesMigrations }).then((db) => (casesDb = db)),
      createTestDatabase({ migrations: referralsMigrations }).then((db) => (referralsDb = db)),
    ]);
    baseEnv = {
      ...process.env,
      DATABASE_URL: (casesDb as TestDatabase).url,
      NATS_URL: (nats as NatsServerHandle).url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // The verifying key named as production names it; the tokens below are signed with its pair.
      JWT_PUBLIC_KEY: loadOrCreateDevKeys().publicKeyPem,
    };
    const sub = `e2e-referrals-${randomBytes(4).toString('hex')}`;
    [commune, facility] = await Promise.all([
      signDevToken({ agency: COMMUNE, roles: ['caseworker'], units: [COMMUNE_CODE], sub }),
      signDevToken({ agency: FACILITY, roles: ['caseworker'], units: ['22'], sub: `${sub}-facility` }),
    ]);
    mark('nats-server and databases ready');
    [, referralsA] = await Promise.all([startCases(), startReferrals()]);
    mark('cases and referrals listening');
  });

  afterAll(async () => {
    // Every child, whatever state the tests left it in, then the broker and the databases.
    await Promise.allSettled(processes.map((p) => p.stop(5_000)));
    await Promise.allSettled([nats?.destroy(), casesDb?.drop(), referralsDb?.drop()]);
    mark('all stopped');
    process.stdout.write(`\nreferrals flow e2e timings (since the file started):\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
  });

  it('creates a rehab-admission referral after asking cases over NATS', async () => {
    const person = await call(casesUrl, 'POST', '/api/v1/persons', commune, {
      fullName: 'Trịnh Văn Khoa',
      personalId: `022089${String(randomBytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0')}`,
      dateOfBirth: '1989-04-04',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: COMMUNE_CODE, address: 'Tổ 4, khu 2' },
    });
    expect(person.status).toBe(201);
    personId = person.body.id as string;
    // Registered without a form: cases records a facility admission only before rehab starts.
    const registered = await call(casesUrl, 'POST', '/api/v1/rehab-cases', commune, {
      personId,
      source: 'POLICE_DETECTION',
      registeredOn: addDays(vietnamDateOf(new Date()), -3),
    });
    expect(registered.status).toBe(201);
    caseId = registered.body.id as string;

    // The facility is a state body: no consent is needed, and none is sent (domain README).
    const created = await call(referralsA.url, 'POST', '/api/v1/referrals', commune, admissionReferral());
    expect([created.status, created.etag]).toEqual([201, '"0"']);
    admissionId = created.body.id as string;
    const seen = await call(referralsA.url, 'GET', `/api/v1/referrals/${admissionId}`, facility);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      yourRole: 'receiver',
      status: 'SENT',
      personId,
      caseId,
      fromAgency: COMMUNE,
      toAgency: FACILITY,
      serviceType: 'REHAB_ADMISSION',
      reason: ADMISSION_REASON,
    });
    mark('referral created');
  });

  it('answers 503 problem+json while cases is down, and records nothing', async () => {
    await cases.kill();
    const before = await referralEventCount();
    const down = await call(referralsA.url, 'POST', '/api/v1/referrals', commune, admissionReferral());
    expectProblem(down, 503);
    expect(await referralEventCount()).toBe(before);
    mark('503 with cases down');
  });

  it('records the admission in cases once when the facility accepted while cases was down', async () => {
    // Accepting needs nothing of cases.
    const accepted = await call(
      referralsA.url,
      'POST',
      `/api/v1/referrals/${admissionId}/accept`,
      facility,
      {},
      { 'if-match': '"0"', 'idempotency-key': `e2e-accept-${randomUUID()}` },
    );
    expect([accepted.status, accepted.etag]).toEqual([200, '"1"']);
    // The integration event waits on JetStream for cases' durable consumer: nothing in the case yet.
    await waitFor(async () => (await admissionsConsumer()).num_pending >= 1, { timeoutMs: 20_000, description: 'ReferralAccepted pending for cases' });
    expect(await admissionsInCasesLog()).toEqual([]);
    mark('accepted, integration event pending');

    await startCases();
    mark('cases restarted');
    await waitFor(async () => (await admissionsInCasesLog()).length > 0, { timeoutMs: 30_000, intervalMs: 50, description: 'the admission in the cases log' });
    mark('admission recorded');
    // Crashed the moment it recorded (perhaps before its ack): the restart gets the message again, or not; either way once.
    await cases.kill();
    await startCases();
    mark('cases killed and restarted after recording');
    // Nothing left for the consumer: no pending message, none delivered and unacknowledged (ack wait 30 s).
    const settled = await waitFor(
      async () => {
        const info = await admissionsConsumer();
        return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'cases’ admissions consumer settled' },
    );
    mark(`consumer settled (${settled.num_redelivered} redelivered)`);
    expect(await admissionsInCasesLog()).toEqual([{ referralId: admissionId, facilityAgency: FACILITY, acceptedOn: expect.any(String) }]);

    // Whether the crash above fell before or after the ack is luck; make the duplicate certain: the
    // same integration event once more on JetStream (another Nats-Msg-Id, so the stream keeps it),
    // as an at-least-once delivery may bring it. Cases takes it and records nothing more.
    const duplicateSeq = await publishAcceptedAgain();
    await waitFor(
      async () => {
        const info = await admissionsConsumer();
        return (
          info.delivered.stream_seq >= duplicateSeq &&
          info.delivered.consumer_seq > settled.delivered.consumer_seq &&
          info.num_pending === 0 &&
          info.num_ack_pending === 0
        );
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'the duplicate taken by cases' },
    );
    mark('duplicate delivered and acknowledged');
    expect(await admissionsInCasesLog()).toHaveLength(1);
    expect(Number((await (casesDb as TestDatabase).pool.query<{ n: string }>('SELECT count(*) AS n FROM messaging_dead_letters')).rows[0]?.n)).toBe(0);
    const admissions = (await caseHistory()).filter((h) => h.type === 'FacilityAdmissionRecorded');
    expect(admissions).toEqual([expect.objectContaining({ type: 'FacilityAdmissionRecorded', agency: FACILITY })]);
  });

  it('refuses a decline without a reason (400, naming the field) and changes nothing', async () => {
    const created = await call(referralsA.url, 'POST', '/api/v1/referrals', commune, { ...admissionReferral(), caseId: undefined, urgency: 'HIGH' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = await referralEventCount();
    const decline = (body: Body) =>
      call(referralsA.url, 'POST', `/api/v1/referrals/${id}/decline`, facility, body, { 'if-match': '"0"', 'idempotency-key': `e2e-decline-${randomUUID()}` });

    const noReason = await decline({});
    expectProblem(noReason, 400);
    expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    const noteOnly = await decline({ note: 'Hết chỗ.' });
    expectProblem(noteOnly, 400);
    expect(noteOnly.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    // OTHER needs its explanation: a rule of the domain, in plain words.
    const otherWithoutNote = await decline({ reason: 'OTHER' });
    expectProblem(otherWithoutNote, 422);
    expect(otherWithoutNote.body.detail).toMatch(/^A decline for another reason \(OTHER\) needs a short explanation/);

    expect(await referralEventCount()).toBe(before);
    const after = await call(referralsA.url, 'GET', `/api/v1/referrals/${id}`, facility);
    expect([after.status, after.etag, after.body.status]).toEqual([200, '"0"', 'SENT']);
  });

  it('marks a referral past its due date overdue once across two referrals processes, also when the leader stops', async () => {
    const referralsB = await startReferrals();
    const instances = [referralsA, referralsB];
    mark('second referrals process listening');
    // One deadline checker leads (the advisory lock), the other stands by.
    const leaders = await waitFor(
      async () => {
        const flags = await Promise.all(instances.map((i) => metric(i.url, 'haidang_referrals_overdue_checker_leader')));
        return flags[0] === 0 && flags[1] === 1 ? [referralsB, referralsA] : flags[0] === 1 && flags[1] === 0 ? [referralsA, referralsB] : undefined;
      },
      { timeoutMs: 15_000, description: 'one leader, one standby' },
    );
    const [leader, standby] = leaders as [typeof referralsA, typeof referralsA];

    // The domain refuses a due date in the past, so the fixture decides the referral as it was decided
    // four weeks ago, and records it the way the service does (free text encrypted with the person's key).
    const db = referralsDb as TestDatabase;
    const keys = loadPiiKeys();
    const store = new PostgresEventStore({ pool: db.pool });
    const repository = new CommandPipeline({
      store,
      protector: new PersonalDataProtector({ pool: db.pool, keyEncryptionKeys: keys.keyEncryptionKeys }),
      fingerprint: new RequestFingerprint(keys.personalIdIndexKey, 'referrals'),
      clock: () => new Date(),
    }).storeOf(referral);
    const sentOn = addDays(vietnamDateOf(new Date()), -28);
    const dueOn = addDays(sentOn, 7);
    const overdueId = randomUUID();
    const sent = decide(
      {
        type: 'CreateReferral',
        data: {
          referralId: overdueId,
          personId,
          caseId: null,
          fromAgency: COMMUNE,
          toAgency: FACILITY,
          serviceType: 'REHAB_ADMISSION',
          reason: ADMISSION_REASON,
          urgency: 'NORMAL',
          dueBy: dueOn,
        },
      },
      initialState(),
      new Date(`${sentOn}T03:00:00Z`),
    );
    if (isDomainError(sent)) throw new Error(`fixture refused: ${sent.code}`);
    expect(sent).toEqual([expect.objectContaining({ type: 'ReferralSent', data: expect.objectContaining({ sentOn, dueOn, dueOnSource: 'SENDER' }) })]);
    const principal = {
      sub: `e2e-fixture@${COMMUNE}`,
      agency: parseAgencyCode(COMMUNE) as Agency,
      roles: ['caseworker' as const],
      jurisdiction: [COMMUNE_CODE],
    };
    await runWithContext({ correlationId: randomUUID(), principal }, () => repository.append(overdueId, personId, sent, NO_STREAM));
    await store.close();
    const overdueEvents = async () =>
      (
        await db.pool.query<{ stream_name: string; data: { receiver: string; dueOn: string; markedOn: string }; actor: string }>(
          `SELECT stream_name, data, metadata->>'actor' AS actor FROM es_events WHERE event_type = 'ReferralOverdue'`,
        )
      ).rows;

    // Listed by the read model (the checker's source of candidates), then marked.
    await waitFor(
      async () => ((await call(leader.url, 'GET', '/api/v1/referrals?direction=incoming', facility)).body.items as Body[]).some((i) => i.id === overdueId),
      { timeoutMs: 15_000, description: 'the seeded referral listed' },
    );
    await waitFor(async () => (await overdueEvents()).length > 0, { timeoutMs: 15_000, description: 'a ReferralOverdue' });
    mark('overdue marked');
    // Several more rounds of the leader, while the standby keeps trying the lock.
    const roundsAt = await metric(leader.url, 'haidang_referrals_overdue_checks_total');
    await waitFor(async () => (await metric(leader.url, 'haidang_referrals_overdue_checks_total')) >= roundsAt + 5, {
      timeoutMs: 15_000,
      description: 'five more rounds',
    });
    const today = vietnamDateOf(new Date());
    expect(await overdueEvents()).toEqual([
      {
        stream_name: `Referral-${overdueId}`,
        data: { receiver: FACILITY, dueOn, markedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
        actor: 'system:referrals/overdue-checker',
      },
    ]);
    expect([addDays(today, -1), today]).toContain((await overdueEvents())[0]?.data.markedOn); // a run across midnight in Vietnam
    expect((await call(standby.url, 'GET', `/api/v1/referrals/${overdueId}`, facility)).body).toMatchObject({ status: 'SENT', overdue: true });
    expect(await metric(standby.url, 'haidang_referrals_overdue_checks_total')).toBe(0);

    // The leader stops (its lock released): the standby takes over, runs its rounds, marks nothing more.
    expect(await leader.process.stop()).toBe(0);
    mark('leader stopped');
    await waitFor(async () => (await metric(standby.url, 'haidang_referrals_overdue_checker_leader')) === 1, {
      timeoutMs: 15_000,
      description: 'the standby leads',
    });
    await waitFor(async () => (await metric(standby.url, 'haidang_referrals_overdue_checks_total')) >= 5, {
      timeoutMs: 15_000,
      description: 'five rounds of the new leader',
    });
    mark('standby took over');
    expect(await overdueEvents()).toHaveLength(1);
    expect(await metric(standby.url, 'haidang_referrals_overdue_marked_total')).toBe(0);
  });
});
