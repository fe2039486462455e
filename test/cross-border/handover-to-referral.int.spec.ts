/**
 * Issue 14, end to end over a real NATS JetStream (a throwaway nats-server: stream EVENTS, `evt.>`
 * and `int.>`) and real PostgreSQL (a database per service): a trafficking victim received from China
 * in a handover becomes a person in `cases` (request/reply `cases.persons.register`, with the border
 * guard's own token) and a TRAFFICKING_VICTIM_SUPPORT referral in `referrals` (its process manager on
 * `cross-border.ReceivedPersonNeedsSupport.v1`), which the Department of Health accepts — exactly once:
 * - when cases is down, nothing is recorded (503) and the retry under the same key does it all once;
 * - when the answer is lost and the client retries, nothing more is appended anywhere;
 * - when the integration message is delivered again (re-published under a new Nats-Msg-Id, past
 *   JetStream's dedup), the referral is not made again;
 * - when the process died after cases registered the person but before the record was appended, the
 *   retry finds the same person in cases;
 * - when referrals is stopped while the event is published, and cross-border stopped and started
 *   right after the handover, the referral is made once when they come back.
 */
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ClientProxyFactory } from '@nestjs/microservices';
import { signDevToken } from '@haidang/auth';
import { CasesSubjects, CrossBorderIntegrationEventTypes } from '@haidang/contracts';
import { JetStreamEventBus, messageContextFromRequest, natsClientOptions, ServiceClient } from '@haidang/messaging';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { handoverBody } from '../../apps/cross-border/src/cooperation-record/records.test-fixtures';
import { cooperationRecordIdFor } from '../../apps/cross-border/src/cooperation-record/register-cooperation-record/register-cooperation-record.handler';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../../apps/cross-border/src/cross-border-service';
import { handedOverPersonIdFor } from '../../apps/cross-border/src/handed-over-person/handed-over-person.aggregate';
import {
  TRAFFICKING_VICTIM_SUPPORT_DURABLE,
  traffickingVictimSupportReferralId,
} from '../../apps/referrals/src/integration/trafficking-victim-support.process-manager';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(180_000);

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
  readonly body: Body;
}

async function call(url: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
}

const GUARD_AGENCY = '20-BORDER_GUARD';
const HEALTH = '20-HEALTH';
const SUPPORT_SUBJECT = 'int.cross-border.ReceivedPersonNeedsSupport.v1';
/** Phường Đông Kinh, Lạng Sơn: the victims' home commune (in the border guard's province, so cases lets it register them). */
const DONG_KINH = '05977';
const victim = (fullName: string, dateOfBirth: string) => ({
  fullName,
  birthYear: Number(dateOfBirth.slice(0, 4)),
  support: { supportAgency: HEALTH, sex: 'FEMALE', dateOfBirth, residence: { provinceCode: '20', communeCode: DONG_KINH, address: 'Thôn Nà Phai' } },
});
const handover = (persons: unknown[], minutesNumber: string) =>
  handoverBody({
    occurredOn: '2026-11-30',
    handover: { direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: persons.length, minutesNumber, minutesSignedOn: '2026-11-30' },
    persons,
  });

describe('a trafficking victim received at the border: a person in cases and one support referral, over NATS JetStream', () => {
  let nats: NatsServerHandle;
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let crossBorderDb: TestDatabase;
  let bus: JetStreamEventBus;
  let cases: CasesService | undefined;
  let referrals: ReferralsService | undefined;
  let crossBorder: CrossBorderService | undefined;
  let guard: string;
  let health: string;
  const rpcPrefix = `xb${process.pid}.`;

  const startCases = async () => {
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: nats.url, rpcSubjectPrefix: rpcPrefix, bus });
  };
  const startReferrals = async () => {
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      casesSubjectPrefix: rpcPrefix,
      bus,
    });
  };
  const startCrossBorder = async () => {
    crossBorder = await startCrossBorderService({
      databaseUrl: crossBorderDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      bus,
      callTimeoutMs: 5_000,
      extra: { casesSubjectPrefix: rpcPrefix },
    });
  };
  const crossBorderUrl = () => (crossBorder as CrossBorderService).url;
  const referralsUrl = () => (referrals as ReferralsService).url;
  const register = (body: unknown, key: string) => call(crossBorderUrl(), 'POST', '/api/v1/records', guard, body, { 'idempotency-key': key });
  const count = async (database: TestDatabase, sql: string, params: unknown[] = []) =>
    Number((await database.pool.query<{ n: string }>(sql, params)).rows[0]?.n);
  const casesPersons = () => count(casesDb, `SELECT count(*) AS n FROM es_events WHERE event_type = 'PersonRegistered'`);
  const referralEvents = (referralId: string) => count(referralsDb, `SELECT count(*) AS n FROM es_events WHERE stream_name = $1`, [`Referral-${referralId}`]);
  const referralStreams = () => count(referralsDb, `SELECT count(DISTINCT stream_name) AS n FROM es_events WHERE stream_name LIKE 'Referral-%'`);
  const incoming = async () =>
    ((await call(referralsUrl(), 'GET', '/api/v1/referrals?direction=incoming', health)).body.items ?? []) as Array<{
      id: string;
      personId: string;
      serviceType: string;
      status: string;
    }>;
  /** A request/reply client of cases as another service has it, with the border guard's token. */
  const askCases = async <T>(subject: string, payload: unknown, timeoutMs: number): Promise<T> => {
    const proxy = ClientProxyFactory.create(natsClientOptions({ servers: nats.url }));
    try {
      return await new ServiceClient(proxy, { service: 'cases', timeoutMs }).request<T>(
        `${rpcPrefix}${subject}`,
        payload,
        messageContextFromRequest(`Bearer ${guard}`),
      );
    } finally {
      await proxy.close();
    }
  };
  /** Cases answers request/reply once its NATS subscription is up (it connects in the background). */
  const casesAnswers = () =>
    waitFor(
      async () => {
        try {
          await askCases(CasesSubjects.PersonsGet, { personId: randomUUID() }, 1_000);
          return true;
        } catch (error) {
          return (error as { remoteStatus?: number }).remoteStatus === 404;
        }
      },
      { timeoutMs: 20_000, description: 'cases answering on NATS' },
    );
  const withPublisher = async <T>(use: (publisher: Awaited<ReturnType<JetStreamEventBus['openPublisher']>>) => Promise<T>): Promise<T> => {
    const publisher = await bus.openPublisher();
    try {
      return await use(publisher);
    } finally {
      await publisher.close();
    }
  };
  /** Whether the referrals process manager has taken and acknowledged every support request in the stream. */
  const supportConsumerDone = async () => {
    const nc = await connect({ servers: nats.url, reconnect: false });
    try {
      const info = await (await jetstreamManager(nc)).consumers.info(bus.stream, TRAFFICKING_VICTIM_SUPPORT_DURABLE);
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
    } finally {
      await nc.close();
    }
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    [casesDb, referralsDb, crossBorderDb] = await Promise.all([
      createTestDatabase({ migrations: casesMigrations }),
      createTestDatabase({ migrations: referralsMigrations }),
      createTestDatabase({ migrations: crossBorderMigrations }),
    ]);
    bus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 5_000 });
    guard = await signDevToken({ agency: GUARD_AGENCY, roles: ['caseworker'], units: ['20'] });
    health = await signDevToken({ agency: HEALTH, roles: ['caseworker'], units: ['20'] });
    await startReferrals();
    await startCrossBorder();
  });
  afterAll(async () => {
    await crossBorder?.stop();
    await referrals?.stop();
    await cases?.stop();
    await bus?.close();
    await nats?.destroy();
    await Promise.all([casesDb?.drop(), referralsDb?.drop(), crossBorderDb?.drop()]);
  });

  it('records nothing while cases is down (503); the retry registers the victim once and the Department of Health accepts one referral', async () => {
    const body = handover([victim('Lục Thị Hoa', '2001-03-14'), { fullName: 'Hoàng Thị Lan', birthYear: 1999 }], '41/BB-BGCD');
    const down = await register(body, 'handover-0041');
    expect(down.status).toBe(503);
    expect(String(down.body.type)).toMatch(/cases-unavailable$/);
    expect(await count(crossBorderDb, `SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'CooperationRecord-%'`)).toBe(0);

    await startCases();
    await casesAnswers();
    const created = await register(body, 'handover-0041');
    expect(created.status).toBe(201);
    const recordId = created.body.id as string;
    expect(recordId).toBe(cooperationRecordIdFor(GUARD_AGENCY, 'handover-0041'));
    // The answer was lost: the client retries; nothing more anywhere.
    const crossBorderEvents = await count(crossBorderDb, `SELECT count(*) AS n FROM es_events`);
    const retried = await register(body, 'handover-0041');
    expect([retried.status, retried.body.id]).toEqual([201, recordId]);
    expect(await count(crossBorderDb, `SELECT count(*) AS n FROM es_events`)).toBe(crossBorderEvents);
    expect(await casesPersons()).toBe(1);

    // The guard sees the victim linked to the person in cases; the second person asked no support.
    const read = await call(crossBorderUrl(), 'GET', `/api/v1/records/${recordId}`, guard);
    const [first, second] = read.body.persons as Array<{ fullName: string; casesPersonId: string | null; supportAgency: string | null }>;
    expect(first).toMatchObject({ fullName: 'Lục Thị Hoa', supportAgency: HEALTH });
    expect(second).toMatchObject({ fullName: 'Hoàng Thị Lan', supportAgency: null, casesPersonId: null });
    const casesPersonId = first?.casesPersonId as string;
    const person = await call((cases as CasesService).url, 'GET', `/api/v1/persons/${casesPersonId}`, guard);
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ fullName: 'Lục Thị Hoa', dateOfBirth: '2001-03-14', sex: 'FEMALE', residence: { communeCode: DONG_KINH } });

    const referralId = traffickingVictimSupportReferralId(handedOverPersonIdFor(recordId, 0));
    await waitFor(async () => (await incoming()).some((r) => r.id === referralId), {
      timeoutMs: 30_000,
      description: 'the support referral in the inbox of Health',
    });
    expect((await incoming()).filter((r) => r.personId === casesPersonId)).toEqual([
      expect.objectContaining({ id: referralId, personId: casesPersonId, serviceType: 'TRAFFICKING_VICTIM_SUPPORT', status: 'SENT' }),
    ]);
    const accepted = await call(referralsUrl(), 'POST', `/api/v1/referrals/${referralId}/accept`, health, {}, { 'if-match': '"0"' });
    expect(accepted.status).toBe(200);
    const referral = await call(referralsUrl(), 'GET', `/api/v1/referrals/${referralId}`, health);
    expect(referral.body).toMatchObject({ status: 'ACCEPTED', serviceType: 'TRAFFICKING_VICTIM_SUPPORT' });
    expect(await referralEvents(referralId)).toBe(2);
    expect(await referralStreams()).toBe(1);
  });

  it('makes no second referral when the integration message is delivered again past the broker’s dedup', async () => {
    await withPublisher(async (publisher) => {
      const stored = await publisher.lastMessage(SUPPORT_SUBJECT);
      if (stored === null) throw new Error('no support request in the stream');
      expect(JSON.parse(Buffer.from(stored.data).toString('utf8'))).toMatchObject({ type: CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1 });
      const msgId = randomUUID();
      const [sent] = await publisher.publishBatch([
        { subject: stored.subject, data: stored.data, msgId, headers: { ...stored.headers, 'Nats-Msg-Id': msgId } },
      ]);
      expect(sent?.duplicate).toBe(false);
      expect(sent?.seq).toBeGreaterThan(stored.seq);
    });
    // The process manager took the copy (acknowledged, not dead-lettered) and changed nothing.
    await waitFor(supportConsumerDone, { timeoutMs: 20_000, description: 'the copy acknowledged' });
    expect(await referralStreams()).toBe(1);
    const referralId = (await incoming())[0]?.id as string;
    expect(await referralEvents(referralId)).toBe(2);
    expect(await count(referralsDb, `SELECT count(*) AS n FROM messaging_dead_letters`)).toBe(0);
  });

  it('finishes once after a crash between cases and the record, and across restarts of cross-border and referrals', async () => {
    const key = 'handover-0042';
    const body = handover([victim('Nông Thị Thu', '2003-07-09')], '42/BB-BGCD');
    const recordId = cooperationRecordIdFor(GUARD_AGENCY, key);
    const handedOverPersonId = handedOverPersonIdFor(recordId, 0);
    // What a cross-border process that died right after cases answered left behind: the person in cases, no record.
    const { personId: registeredBeforeCrash } = await askCases<{ personId: string }>(
      CasesSubjects.PersonsRegister,
      {
        idempotencyKey: `cross-border:handed-over-person:${handedOverPersonId}`,
        fullName: 'Nông Thị Thu',
        dateOfBirth: '2003-07-09',
        sex: 'FEMALE',
        residence: { provinceCode: '20', communeCode: DONG_KINH, address: 'Thôn Nà Phai' },
      },
      5_000,
    );
    const personsBefore = await casesPersons();
    // Referrals is down while the support request goes out.
    await referrals?.stop();
    referrals = undefined;

    const created = await register(body, key);
    expect([created.status, created.body.id]).toEqual([201, recordId]);
    expect(await casesPersons()).toBe(personsBefore);
    // Cross-border stops at once (its projection and outbox may or may not have run) and comes back.
    await crossBorder?.stop();
    crossBorder = undefined;
    await startCrossBorder();
    const read = await call(crossBorderUrl(), 'GET', `/api/v1/records/${recordId}`, guard);
    expect((read.body.persons as Array<{ casesPersonId: string }>)[0]?.casesPersonId).toBe(registeredBeforeCrash);
    await withPublisher((publisher) =>
      waitFor(
        async () => {
          const last = await publisher.lastMessage(SUPPORT_SUBJECT);
          return last !== null && Buffer.from(last.data).toString('utf8').includes(handedOverPersonId);
        },
        { timeoutMs: 30_000, description: 'the second support request in the stream' },
      ),
    );

    await startReferrals();
    const referralId = traffickingVictimSupportReferralId(handedOverPersonId);
    await waitFor(async () => (await incoming()).some((r) => r.id === referralId), { timeoutMs: 30_000, description: 'the referral after the restart' });
    await waitFor(supportConsumerDone, { timeoutMs: 20_000, description: 'every support request acknowledged' });
    expect((await incoming()).filter((r) => r.personId === registeredBeforeCrash)).toHaveLength(1);
    expect(await referralEvents(referralId)).toBe(1);
    expect(await referralStreams()).toBe(2);
    expect(await casesPersons()).toBe(personsBefore);
  });
});
