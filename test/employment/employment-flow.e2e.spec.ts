/**
 * Issue 12 end to end: cases, referrals and employment as separate processes (`npm run start:<name>`)
 * on a nats-server of this file's own (JetStream) and three throwaway PostgreSQL databases.
 *
 * Rehab completed in cases → referrals proposes a JOB_COUNSELLING draft in the commune's outbox →
 * the commune sends it and the employment centre accepts it while employment is down (SIGKILL) →
 * employment, restarted, opens the record once → training completed → job started → the first
 * counselling session reports the referral's outcome → employment is killed at once and restarted
 * → referrals completes the referral once. Each hand-off is counted where it lands (the logs of
 * the three services and the JetStream subjects), after the consumers settled.
 *
 * Own nats-server: the durable consumers have fixed names and would compete with other runs.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadOrCreateDevKeys, signDevToken } from '@haidang/auth';
import { addDays, vietnamDateOf } from '@haidang/calendar';
import { DEFAULT_EVENT_STREAM, integrationSubject } from '@haidang/messaging';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations } from '../../apps/cases/src/cases-service';
import { employmentMigrations } from '../../apps/employment/src/employment-service';
import { employmentRecordIdOfReferral } from '../../apps/employment/src/employment-record/open-employment-record/open-employment-record.handler';
import { REFERRAL_INTAKE_DURABLE } from '../../apps/employment/src/integration/referral-accepted.process-manager';
import { EMPLOYMENT_OUTCOMES_DURABLE } from '../../apps/referrals/src/integration/employment-outcomes.process-manager';
import { referralsMigrations } from '../../apps/referrals/src/referrals-service';
import { spawnNodeScript, type NodeProcess } from '../support/node-process';

jest.setTimeout(300_000);

const COMMUNE_CODE = '06793';
const COMMUNE = `22-COMMUNE-${COMMUNE_CODE}`;
const CENTRE = '22-EMPLOYMENT_CENTRE';

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
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
  return { status: response.status, etag: response.headers.get('etag'), body: (text ? JSON.parse(text) : {}) as Body };
}

describe('cases → referrals → employment as separate processes over NATS JetStream', () => {
  let nats: NatsServerHandle | undefined;
  let casesDb: TestDatabase | undefined;
  let referralsDb: TestDatabase | undefined;
  let employmentDb: TestDatabase | undefined;
  let baseEnv: NodeJS.ProcessEnv;
  const processes: NodeProcess[] = [];
  let employment: NodeProcess;
  const urls = { cases: '', referrals: '', employment: '' };
  let commune = '';
  let centre = '';
  const timings: string[] = [];
  const startedAt = Date.now();
  const mark = (what: string) => timings.push(`${what}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  const start = async (name: 'cases' | 'referrals' | 'employment', database: TestDatabase): Promise<NodeProcess> => {
    const child = spawnNodeScript(`apps/${name}/src/main.ts`, { ...baseEnv, DATABASE_URL: database.url });
    processes.push(child);
    urls[name] = (await child.waitFor(new RegExp(`${name} listening on (http://\\S+) `), 90_000))[1] as string;
    return child;
  };
  const startEmployment = async () => (employment = await start('employment', employmentDb as TestDatabase));

  const eventTypes = async (db: TestDatabase | undefined, stream: string): Promise<string[]> =>
    (
      await (db as TestDatabase).pool.query<{ type: string }>(`SELECT event_type AS type FROM es_events WHERE stream_name = $1 ORDER BY stream_revision`, [
        stream,
      ])
    ).rows.map((r) => r.type);
  const deadLetters = async (db: TestDatabase | undefined): Promise<number> =>
    Number((await (db as TestDatabase).pool.query<{ n: string }>('SELECT count(*) AS n FROM messaging_dead_letters')).rows[0]?.n);
  const withJetStream = async <T>(use: (jsm: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>): Promise<T> => {
    const nc = await connect({ servers: (nats as NatsServerHandle).url, reconnect: false });
    try {
      return await use(await jetstreamManager(nc));
    } finally {
      await nc.close();
    }
  };
  const consumer = (durable: string): Promise<ConsumerInfo> => withJetStream((jsm) => jsm.consumers.info(DEFAULT_EVENT_STREAM, durable));
  /** Waits until a durable consumer has nothing pending and nothing delivered but unacknowledged. */
  const settled = (durable: string, description: string) =>
    waitFor(
      async () => {
        const info = await consumer(durable);
        return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, description },
    );
  /** Messages on each subject of `int.employment.>` in the stream (dedup by Nats-Msg-Id keeps one per event). */
  const employmentSubjects = (): Promise<Record<string, number>> =>
    withJetStream(async (jsm) => {
      const info = await jsm.streams.info(DEFAULT_EVENT_STREAM, { subjects_filter: 'int.employment.>' });
      return { ...(info.state.subjects ?? {}) };
    });

  beforeAll(async () => {
    await Promise.all([
      startNatsServer().then((server) => (nats = server)),
      createTestDatabase({ migrations: casesMigrations }).then((db) => (casesDb = db)),
      createTestDatabase({ migrations: referralsMigrations }).then((db) => (referralsDb = db)),
      createTestDatabase({ migrations: employmentMigrations }).then((db) => (employmentDb = db)),
    ]);
    baseEnv = {
      ...process.env,
      NATS_URL: (nats as NatsServerHandle).url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // The test polls the read models; on a loaded machine they lag past the default per-principal budget.
      RATE_LIMIT_PER_PRINCIPAL: '100000',
      JWT_PUBLIC_KEY: loadOrCreateDevKeys().publicKeyPem,
    };
    const sub = `e2e-employment-${randomBytes(4).toString('hex')}`;
    [commune, centre] = await Promise.all([
      signDevToken({ agency: COMMUNE, roles: ['caseworker'], units: [COMMUNE_CODE], sub }),
      signDevToken({ agency: CENTRE, roles: ['caseworker'], units: ['22'], sub: `${sub}-centre` }),
    ]);
    mark('nats-server and databases ready');
    await Promise.all([start('cases', casesDb as TestDatabase), start('referrals', referralsDb as TestDatabase), startEmployment()]);
    mark('cases, referrals and employment listening');
  });

  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.stop(5_000)));
    await Promise.allSettled([nats?.destroy(), casesDb?.drop(), referralsDb?.drop(), employmentDb?.drop()]);
    mark('all stopped');
    process.stdout.write(`\nemployment flow e2e timings (since the file started):\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
  });

  it('hands each step on exactly once, across SIGKILLs and restarts of employment', async () => {
    // The registers of the centre: a vocational school and an employer.
    const provider = await call(urls.employment, 'POST', '/api/v1/training-providers', centre, {
      name: 'Trường Cao đẳng Than – Khoáng sản Việt Nam',
      kind: 'VOCATIONAL_SCHOOL',
      communeCode: COMMUNE_CODE,
      capacity: 120,
      registeredOn: '2026-01-05',
    });
    const employer = await call(urls.employment, 'POST', '/api/v1/employers', centre, {
      name: 'Công ty Than Cọc Sáu – TKV',
      taxCode: '5700100256',
      communeCode: COMMUNE_CODE,
      sector: 'MINING',
      registeredOn: '2026-01-05',
    });
    expect([provider.status, employer.status]).toEqual([201, 201]);

    // Cases: a person completes rehab at home.
    const person = await call(urls.cases, 'POST', '/api/v1/persons', commune, {
      fullName: 'Đỗ Văn Hưng',
      dateOfBirth: '1991-07-07',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: COMMUNE_CODE, address: 'Tổ 6, khu 3' },
    });
    expect(person.status).toBe(201);
    const personId = person.body.id as string;
    const registered = await call(urls.cases, 'POST', '/api/v1/rehab-cases', commune, {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '31/QĐ-UBND', decisionDate: '2022-03-10', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    expect(registered.status).toBe(201);
    const caseId = registered.body.id as string;
    expect((await call(urls.cases, 'POST', `/api/v1/rehab-cases/${caseId}/start`, commune, { startedOn: '2022-03-15' }, { 'if-match': '"1"' })).status).toBe(
      200,
    );
    expect(
      (await call(urls.cases, 'POST', `/api/v1/rehab-cases/${caseId}/completion`, commune, { completedOn: '2022-09-15' }, { 'if-match': '"2"' })).status,
    ).toBe(200);
    mark('rehab completed in cases');

    // Referrals: the job-counselling draft in the commune's outbox.
    const draft = await waitFor(
      async () => {
        const listed = await call(urls.referrals, 'GET', '/api/v1/referrals?direction=outgoing&status=DRAFT', commune);
        return (listed.body.items as Body[] | undefined)?.find((i) => i.caseId === caseId);
      },
      { timeoutMs: 90_000, intervalMs: 100, description: 'the job-counselling draft' },
    );
    expect(draft).toMatchObject({ serviceType: 'JOB_COUNSELLING', toAgency: CENTRE, fromAgency: COMMUNE });
    const referralId = draft.id as string;
    mark('draft proposed');

    // Employment crashes; the commune sends the draft and the centre accepts it meanwhile.
    await employment.kill();
    expect((await call(urls.referrals, 'POST', `/api/v1/referrals/${referralId}/sending`, commune, {}, { 'if-match': '"0"' })).status).toBe(200);
    const accepted = await call(
      urls.referrals,
      'POST',
      `/api/v1/referrals/${referralId}/accept`,
      centre,
      {},
      { 'if-match': '"1"', 'idempotency-key': `accept-${referralId}` },
    );
    expect([accepted.status, accepted.etag]).toEqual([200, '"2"']);
    await waitFor(async () => (await consumer(REFERRAL_INTAKE_DURABLE)).num_pending >= 1, {
      timeoutMs: 60_000,
      description: 'ReferralAccepted waiting for employment',
    });
    const recordId = employmentRecordIdOfReferral(referralId);
    const recordStream = `EmploymentRecord-${recordId}`;
    expect(await eventTypes(employmentDb, recordStream)).toEqual([]);
    mark('accepted while employment was down');

    await startEmployment();
    const record = await waitFor(
      async () => {
        const got = await call(urls.employment, 'GET', `/api/v1/employment-records/${recordId}`, centre);
        return got.status === 200 ? got.body : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100, description: 'the record opened after the restart' },
    );
    expect(record).toMatchObject({ personId, status: 'OPEN', referral: { referralId, serviceType: 'JOB_COUNSELLING', outcome: null } });
    await settled(REFERRAL_INTAKE_DURABLE, 'the intake consumer settled');
    mark('record opened');

    // The centre's work: residence, a training completed, a job started.
    const today = vietnamDateOf(new Date());
    const openedOn = record.openedOn as string;
    const step = async (path: string, version: number, body: Body): Promise<Reply> => {
      const reply = await call(urls.employment, 'POST', `/api/v1/employment-records/${recordId}/${path}`, centre, body, {
        'if-match': `"${version}"`,
        'idempotency-key': `e2e-${path}-${recordId}`,
      });
      expect([path, reply.status]).toEqual([path, 200]);
      return reply;
    };
    await step('residence', 0, { communeCode: COMMUNE_CODE });
    await step('enrolments', 1, {
      tradeCode: 'WELDING',
      providerId: provider.body.id,
      level: 'UNDER_3_MONTHS',
      startOn: openedOn,
      expectedEndOn: addDays(openedOn, 60),
      funding: 'STATE_SUPPORT_AFTER_REHAB',
    });
    const enrolmentId = ((await call(urls.employment, 'GET', `/api/v1/employment-records/${recordId}`, centre)).body.enrolments as Body[])[0]?.enrolmentId;
    await step('training-completions', 2, { enrolmentId, completedOn: today, certificateNumber: 'QN-E2E-000123' });
    await step('placements', 3, {
      employerId: employer.body.id,
      jobTitle: 'Thợ hàn',
      contractType: 'FIXED_TERM',
      startOn: today,
      wageBand: '6M_TO_8M',
      loan: null,
    });
    // The first session attended: counselling given, the referral's outcome reported (version 5 and 6)…
    const session = await step('counselling-sessions', 4, { heldOn: today, counsellor: 'Nguyễn Thị Hoa', outcome: 'PLAN_AGREED', nextStep: 'NONE' });
    expect(session.body).toMatchObject({ version: 6 });
    // …and employment crashes at once, perhaps before its outbox published anything.
    await employment.kill();
    mark('session recorded, employment killed');
    await startEmployment();
    await waitFor(async () => (await call(urls.referrals, 'GET', `/api/v1/referrals/${referralId}`, commune)).body.status === 'COMPLETED', {
      timeoutMs: 90_000,
      intervalMs: 100,
      description: 'the referral completed',
    });
    mark('referral completed');
    // Killed and restarted once more: nothing is handed on again.
    await employment.kill();
    await startEmployment();
    await settled(REFERRAL_INTAKE_DURABLE, 'the intake consumer settled again');
    await settled(EMPLOYMENT_OUTCOMES_DURABLE, 'referrals’ outcome consumer settled');
    await waitFor(
      async () => {
        const subjects = await employmentSubjects();
        return subjects[integrationSubject('employment', 'ReferralOutcomeReported', 1)] === 1 ? subjects : undefined;
      },
      { timeoutMs: 90_000, description: 'the outcome on JetStream' },
    );
    mark('all consumers settled');

    expect(await eventTypes(employmentDb, recordStream)).toEqual([
      'EmploymentRecordOpened',
      'ResidenceRecorded',
      'TrainingEnrolled',
      'TrainingCompleted',
      'JobStarted',
      'CounsellingSessionHeld',
      'ReferralOutcomeReported',
    ]);
    expect((await eventTypes(referralsDb, `Referral-${referralId}`)).filter((t) => t === 'ReferralCompleted')).toHaveLength(1);
    expect(await call(urls.referrals, 'GET', `/api/v1/referrals/${referralId}`, commune)).toMatchObject({
      status: 200,
      body: { status: 'COMPLETED', outcome: 'SERVICE_PROVIDED' },
    });
    // What the projections service will count: each integration event once on the stream.
    expect(await employmentSubjects()).toEqual({
      [integrationSubject('employment', 'TrainingCompleted', 1)]: 1,
      [integrationSubject('employment', 'JobStarted', 1)]: 1,
      [integrationSubject('employment', 'ReferralOutcomeReported', 1)]: 1,
    });
    // Only one draft was ever proposed for the case, and no service dead-lettered anything.
    const drafts = (await call(urls.referrals, 'GET', '/api/v1/referrals?direction=outgoing', commune)).body.items as Body[];
    expect(drafts.filter((d) => d.caseId === caseId)).toHaveLength(1);
    expect([await deadLetters(casesDb), await deadLetters(referralsDb), await deadLetters(employmentDb)]).toEqual([0, 0, 0]);

    // The person's own words, read back decrypted; erased in cases, they read `[erased]` in employment too.
    await step('need-assessments', 6, { assessedOn: today, need: 'WANTS_WORK', skills: 'Hàn hồ quang, có chứng chỉ', preferences: 'Ca ngày' });
    const profile = () => call(urls.employment, 'GET', `/api/v1/employment-records/${recordId}/profile`, centre);
    expect((await profile()).body).toMatchObject({
      erased: false,
      skills: 'Hàn hồ quang, có chứng chỉ',
      preferences: 'Ca ngày',
      certificates: [{ enrolmentId, certificateNumber: 'QN-E2E-000123' }],
    });
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    const personEtag = (await call(urls.cases, 'GET', `/api/v1/persons/${personId}`, commune)).etag as string;
    expect((await call(urls.cases, 'POST', `/api/v1/persons/${personId}/erasure`, dpo, { reference: 'DP-E2E-1' }, { 'if-match': personEtag })).status).toBe(
      200,
    );
    const shredded = await waitFor(async () => ((await profile()).body.erased === true ? (await profile()).body : undefined), {
      timeoutMs: 90_000,
      intervalMs: 100,
      description: 'the key shredded in employment',
    });
    expect(shredded).toMatchObject({ skills: '[erased]', preferences: '[erased]', certificates: [{ enrolmentId, certificateNumber: '[erased]' }] });
    mark('person erased, employment redacts');
  });
});
