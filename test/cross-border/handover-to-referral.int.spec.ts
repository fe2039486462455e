/**
 * Issue 14, end to end over a real NATS JetStream (a throwaway nats-server: stream EVENTS, `evt.>`
 * and `int.>`) and real PostgreSQL (a database per service): a trafficking victim received from China
 * in a handover, needing shelter and health care, becomes a person in `cases` (request/reply
 * `cases.persons.register`, with the border guard's own token) and a referral per need in `referrals`
 * (its process manager on `cross-border.ReceivedPersonNeedsSupport.v2`): SHELTER to the home commune,
 * which accepts it over HTTP, and HEALTH_HIV_METHADONE to the Department of Health — exactly once:
 * - when cases is down, nothing is recorded (503) and the retry under the same key does it all once;
 * - when the answer is lost and the client retries, nothing more is appended anywhere;
 * - when the integration message is delivered again (re-published under a new Nats-Msg-Id, past
 *   JetStream's dedup), and again after cross-border and referrals were stopped and started, no
 *   referral is made again and the accepted one stays accepted;
 * - when the process died after cases registered the person but before the record was appended, the
 *   retry finds the same person in cases;
 * - when referrals is stopped while the event is published, and cross-border stopped and started
 *   right after the handover, each referral is made once when they come back;
 * - a v1 message (one `supportAgency`, published before v2) is still consumed, onto the same referral
 *   as v2's VICTIM_SUPPORT;
 * - when cases erases the person (`cases.PersonErased.v1`), cross-border shreds the handed-over
 *   person's key and marks them erased, once, however often the message comes.
 */
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ClientProxyFactory } from '@nestjs/microservices';
import { signDevToken } from '@haidang/auth';
import { CasesSubjects, CrossBorderIntegrationEventTypes, type ReceivedPersonNeedsSupportV1, type ReceivedPersonNeedsSupportV2 } from '@haidang/contracts';
import { JetStreamEventBus, messageContextFromRequest, natsClientOptions, ServiceClient } from '@haidang/messaging';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { handoverBody } from '../../apps/cross-border/src/cooperation-record/records.test-fixtures';
import { cooperationRecordIdFor } from '../../apps/cross-border/src/cooperation-record/register-cooperation-record/register-cooperation-record.handler';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../../apps/cross-border/src/cross-border-service';
import { CASES_PERSON_ERASURE_DURABLE } from '../../apps/cross-border/src/handed-over-person/cases-person-erasure/cases-person-erasure.process-manager';
import { handedOverPersonIdFor } from '../../apps/cross-border/src/handed-over-person/handed-over-person.aggregate';
import {
  RECEIVED_PERSON_NEEDS_DURABLE,
  receivedPersonNeedReferralId,
  TRAFFICKING_VICTIM_SUPPORT_DURABLE,
  traffickingVictimSupportReferralId,
} from '../../apps/referrals/src/integration/trafficking-victim-support.process-manager';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(400_000);

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
const SUPPORT_SUBJECT = 'int.cross-border.ReceivedPersonNeedsSupport.v2';
const SUPPORT_SUBJECT_V1 = 'int.cross-border.ReceivedPersonNeedsSupport.v1';
const ERASED_SUBJECT = 'int.cases.PersonErased.v1';
/** Phường Đông Kinh, Lạng Sơn: the victims' home commune (in the border guard's province, so cases lets it register them). */
const DONG_KINH = '05977';
const COMMUNE = `20-COMMUNE-${DONG_KINH}`;
const SHELTER_AND_HEALTH = [
  { need: 'SHELTER', agency: COMMUNE },
  { need: 'HEALTH', agency: HEALTH },
];
const victim = (fullName: string, dateOfBirth: string, asked: Record<string, unknown> = { needs: SHELTER_AND_HEALTH }) => ({
  fullName,
  birthYear: Number(dateOfBirth.slice(0, 4)),
  support: { ...asked, sex: 'FEMALE', dateOfBirth, residence: { provinceCode: '20', communeCode: DONG_KINH, address: 'Thôn Nà Phai' } },
});
const handover = (persons: unknown[], minutesNumber: string) =>
  handoverBody({
    occurredOn: '2026-11-30',
    handover: { direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: persons.length, minutesNumber, minutesSignedOn: '2026-11-30' },
    persons,
  });

describe('a trafficking victim received at the border: a person in cases and a referral per need, over NATS JetStream', () => {
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
  let commune: string;
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
  const incoming = async (token = health) =>
    ((await call(referralsUrl(), 'GET', '/api/v1/referrals?direction=incoming', token)).body.items ?? []) as Array<{
      id: string;
      personId: string;
      serviceType: string;
      status: string;
    }>;
  const deadLetters = (database: TestDatabase) => count(database, `SELECT count(*) AS n FROM messaging_dead_letters`);
  const erasedMarkers = (handedOverPersonId: string) =>
    count(crossBorderDb, `SELECT count(*) AS n FROM es_events WHERE stream_name = $1 AND event_type = 'HandedOverPersonErased'`, [
      `HandedOverPerson-${handedOverPersonId}`,
    ]);
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
      { timeoutMs: 60_000, description: 'cases answering on NATS' },
    );
  const withPublisher = async <T>(use: (publisher: Awaited<ReturnType<JetStreamEventBus['openPublisher']>>) => Promise<T>): Promise<T> => {
    const publisher = await bus.openPublisher();
    try {
      return await use(publisher);
    } finally {
      await publisher.close();
    }
  };
  /** Whether a durable consumer has taken and acknowledged every message of its subject in the stream. */
  const consumerDone = (durable: string) => async () => {
    const nc = await connect({ servers: nats.url, reconnect: false });
    try {
      const info = await (await jetstreamManager(nc)).consumers.info(bus.stream, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
    } finally {
      await nc.close();
    }
  };
  /** Whether the referrals process manager has taken and acknowledged every support request (v2) in the stream. */
  const supportConsumerDone = consumerDone(RECEIVED_PERSON_NEEDS_DURABLE);
  /** The last message of a subject published again under a new Nats-Msg-Id (past JetStream's dedup), as a redelivery would bring it. */
  const republishLast = (subject: string) =>
    withPublisher(async (publisher) => {
      const stored = await publisher.lastMessage(subject);
      if (stored === null) throw new Error(`no message on ${subject}`);
      const msgId = randomUUID();
      const [sent] = await publisher.publishBatch([
        { subject: stored.subject, data: stored.data, msgId, headers: { ...stored.headers, 'Nats-Msg-Id': msgId } },
      ]);
      expect(sent?.duplicate).toBe(false);
      expect(sent?.seq).toBeGreaterThan(stored.seq);
      return JSON.parse(Buffer.from(stored.data).toString('utf8')) as { type: string; data: Record<string, unknown> };
    });

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
    commune = await signDevToken({ agency: COMMUNE, roles: ['caseworker'], units: [DONG_KINH] });
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

  it('records nothing while cases is down (503); the retry registers the victim once, a referral per need, and the commune accepts the shelter', async () => {
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
    const crossBorderEvents = await count(crossBorderDb, `SELECT count(*) AS n FROM es_events WHERE stream_name NOT LIKE 'AccessLog-%'`);
    const retried = await register(body, 'handover-0041');
    expect([retried.status, retried.body.id]).toEqual([201, recordId]);
    expect(await count(crossBorderDb, `SELECT count(*) AS n FROM es_events WHERE stream_name NOT LIKE 'AccessLog-%'`)).toBe(crossBorderEvents);
    expect(await casesPersons()).toBe(1);

    // The guard sees the victim's needs and the person in cases; the second person asked no support.
    const read = await call(crossBorderUrl(), 'GET', `/api/v1/records/${recordId}`, guard);
    const [first, second] = read.body.persons as Array<{ fullName: string; casesPersonId: string | null; supportAgency: string | null; needs: unknown }>;
    expect(first).toMatchObject({ fullName: 'Lục Thị Hoa', supportAgency: null, needs: SHELTER_AND_HEALTH });
    expect(second).toMatchObject({ fullName: 'Hoàng Thị Lan', supportAgency: null, needs: [], casesPersonId: null });
    const casesPersonId = first?.casesPersonId as string;
    const person = await call((cases as CasesService).url, 'GET', `/api/v1/persons/${casesPersonId}`, guard);
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ fullName: 'Lục Thị Hoa', dateOfBirth: '2001-03-14', sex: 'FEMALE', residence: { communeCode: DONG_KINH } });

    const handedOverPersonId = handedOverPersonIdFor(recordId, 0);
    const shelterId = receivedPersonNeedReferralId(handedOverPersonId, 'SHELTER');
    const healthId = receivedPersonNeedReferralId(handedOverPersonId, 'HEALTH');
    expect(new Set([shelterId, healthId, traffickingVictimSupportReferralId(handedOverPersonId)]).size).toBe(3);
    await waitFor(async () => (await incoming(commune)).some((r) => r.id === shelterId), {
      timeoutMs: 90_000,
      description: 'the shelter referral at the commune',
    });
    await waitFor(async () => (await incoming(health)).some((r) => r.id === healthId), { timeoutMs: 90_000, description: 'the health referral at Health' });
    expect((await incoming(commune)).filter((r) => r.personId === casesPersonId)).toEqual([
      expect.objectContaining({ id: shelterId, personId: casesPersonId, serviceType: 'SHELTER', status: 'SENT' }),
    ]);
    expect((await incoming(health)).filter((r) => r.personId === casesPersonId)).toEqual([
      expect.objectContaining({ id: healthId, personId: casesPersonId, serviceType: 'HEALTH_HIV_METHADONE', status: 'SENT' }),
    ]);
    // The receiving commune accepts the shelter referral over HTTP, under If-Match.
    const stale = await call(referralsUrl(), 'POST', `/api/v1/referrals/${shelterId}/accept`, commune, {}, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    const accepted = await call(referralsUrl(), 'POST', `/api/v1/referrals/${shelterId}/accept`, commune, {}, { 'if-match': '"0"' });
    expect(accepted.status).toBe(200);
    const shelter = await call(referralsUrl(), 'GET', `/api/v1/referrals/${shelterId}`, commune);
    expect(shelter.body).toMatchObject({ status: 'ACCEPTED', serviceType: 'SHELTER', fromAgency: GUARD_AGENCY, toAgency: COMMUNE, urgency: 'HIGH' });
    // What the referrals say names the need, never the person.
    const health_ = await call(referralsUrl(), 'GET', `/api/v1/referrals/${healthId}`, health);
    for (const shown of [shelter.body, health_.body]) {
      expect(JSON.stringify(shown)).not.toContain('Lục Thị');
      expect(JSON.stringify(shown)).not.toContain('2001-03-14');
    }
    expect(await referralEvents(shelterId)).toBe(2);
    expect(await referralEvents(healthId)).toBe(1);
    expect(await referralStreams()).toBe(2);
  });

  it('makes no second referral when the message is delivered again past the broker’s dedup, nor after cross-border and referrals restart', async () => {
    const redelivered = await republishLast(SUPPORT_SUBJECT);
    expect(redelivered).toMatchObject({ type: CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2 });
    // The process manager took the copy (acknowledged, not dead-lettered) and changed nothing.
    await waitFor(supportConsumerDone, { timeoutMs: 60_000, description: 'the copy acknowledged' });
    expect(await referralStreams()).toBe(2);

    // Both services stop and start again; the message comes once more.
    await crossBorder?.stop();
    crossBorder = undefined;
    await referrals?.stop();
    referrals = undefined;
    await startReferrals();
    await startCrossBorder();
    await republishLast(SUPPORT_SUBJECT);
    await waitFor(supportConsumerDone, { timeoutMs: 60_000, description: 'the copy after the restart acknowledged' });

    const handedOverPersonId = handedOverPersonIdFor(cooperationRecordIdFor(GUARD_AGENCY, 'handover-0041'), 0);
    const shelterId = receivedPersonNeedReferralId(handedOverPersonId, 'SHELTER');
    expect(await referralStreams()).toBe(2);
    expect(await referralEvents(shelterId)).toBe(2);
    expect(await referralEvents(receivedPersonNeedReferralId(handedOverPersonId, 'HEALTH'))).toBe(1);
    expect((await call(referralsUrl(), 'GET', `/api/v1/referrals/${shelterId}`, commune)).body).toMatchObject({ status: 'ACCEPTED' });
    expect(await casesPersons()).toBe(1);
    expect(await deadLetters(referralsDb)).toBe(0);
  });

  it('finishes once after a crash between cases and the record, and across restarts of cross-border and referrals', async () => {
    const key = 'handover-0042';
    // Support as a whole from the Department of Health (as v1 asked it), and shelter at the commune.
    const body = handover([victim('Nông Thị Thu', '2003-07-09', { supportAgency: HEALTH, needs: [{ need: 'SHELTER', agency: COMMUNE }] })], '42/BB-BGCD');
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
        { timeoutMs: 90_000, description: 'the second support request in the stream' },
      ),
    );

    await startReferrals();
    const supportId = traffickingVictimSupportReferralId(handedOverPersonId);
    const shelterId = receivedPersonNeedReferralId(handedOverPersonId, 'SHELTER');
    await waitFor(async () => (await incoming(health)).some((r) => r.id === supportId), {
      timeoutMs: 90_000,
      description: 'the support referral after the restart',
    });
    await waitFor(async () => (await incoming(commune)).some((r) => r.id === shelterId), {
      timeoutMs: 90_000,
      description: 'the shelter referral after the restart',
    });
    await waitFor(supportConsumerDone, { timeoutMs: 60_000, description: 'every support request acknowledged' });
    expect((await incoming(health)).filter((r) => r.personId === registeredBeforeCrash)).toEqual([
      expect.objectContaining({ id: supportId, serviceType: 'TRAFFICKING_VICTIM_SUPPORT' }),
    ]);
    expect((await incoming(commune)).filter((r) => r.personId === registeredBeforeCrash)).toEqual([
      expect.objectContaining({ id: shelterId, serviceType: 'SHELTER' }),
    ]);
    expect(await referralEvents(supportId)).toBe(1);
    expect(await referralEvents(shelterId)).toBe(1);
    expect(await referralStreams()).toBe(4);
    expect(await casesPersons()).toBe(personsBefore);
  });

  it('still consumes v1 (one supportAgency): onto the referral v2 made for support as a whole, and a new one for a person only v1 named', async () => {
    const v1Of = async (data: ReceivedPersonNeedsSupportV1) =>
      withPublisher(async (publisher) => {
        const stored = await publisher.lastMessage(SUPPORT_SUBJECT);
        if (stored === null) throw new Error('no support request in the stream');
        const wire = JSON.parse(Buffer.from(stored.data).toString('utf8')) as Record<string, unknown>;
        const id = randomUUID();
        const payload = Buffer.from(JSON.stringify({ ...wire, id, type: data.type, data }), 'utf8');
        const headers = { ...stored.headers, 'Nats-Msg-Id': id, 'Hd-Event-Type': data.type };
        await publisher.publishBatch([{ subject: SUPPORT_SUBJECT_V1, data: payload, msgId: id, headers }]);
      });
    const v2 = await withPublisher(async (publisher) => {
      const stored = await publisher.lastMessage(SUPPORT_SUBJECT);
      return (JSON.parse(Buffer.from((stored as { data: Uint8Array }).data).toString('utf8')) as { data: ReceivedPersonNeedsSupportV2 }).data;
    });
    const { needs: _needs, type: _type, version: _version, ...common } = v2;
    const asV1 = (over: Partial<ReceivedPersonNeedsSupportV1>): ReceivedPersonNeedsSupportV1 => ({
      ...common,
      type: CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1,
      version: 1,
      supportAgency: HEALTH,
      ...over,
    });
    // An older cross-border published v1 for the same person: the same referral, nothing added.
    await v1Of(asV1({}));
    await waitFor(consumerDone(TRAFFICKING_VICTIM_SUPPORT_DURABLE), { timeoutMs: 60_000, description: 'the v1 copy acknowledged' });
    expect(await referralStreams()).toBe(4);
    // A person only a v1 message named: one support referral, under the id v1 always gave.
    const onlyV1 = randomUUID();
    await v1Of(asV1({ eventId: randomUUID(), handedOverPersonId: onlyV1 }));
    await waitFor(async () => (await incoming(health)).some((r) => r.id === traffickingVictimSupportReferralId(onlyV1)), {
      timeoutMs: 90_000,
      description: 'the referral of a v1 message',
    });
    await waitFor(consumerDone(TRAFFICKING_VICTIM_SUPPORT_DURABLE), { timeoutMs: 60_000, description: 'the v1 message acknowledged' });
    expect(await referralStreams()).toBe(5);
    expect(await deadLetters(referralsDb)).toBe(0);
  });

  it('makes the needs the catalogue accepts and dead-letters the message naming the one it refuses, never a person', async () => {
    const onlyShelter = randomUUID();
    await withPublisher(async (publisher) => {
      const stored = await publisher.lastMessage(SUPPORT_SUBJECT);
      if (stored === null) throw new Error('no support request in the stream');
      const wire = JSON.parse(Buffer.from(stored.data).toString('utf8')) as { id: string; data: ReceivedPersonNeedsSupportV2 };
      const id = randomUUID();
      // As a cross-border that checked less would send it: legal aid asked of the provincial police, which does not provide it.
      const data: ReceivedPersonNeedsSupportV2 = {
        ...wire.data,
        eventId: randomUUID(),
        handedOverPersonId: onlyShelter,
        needs: [
          { need: 'SHELTER', agency: COMMUNE },
          { need: 'LEGAL_AID', agency: '20-POLICE' },
        ],
      };
      const payload = Buffer.from(JSON.stringify({ ...wire, id, data }), 'utf8');
      await publisher.publishBatch([{ subject: SUPPORT_SUBJECT, data: payload, msgId: id, headers: { ...stored.headers, 'Nats-Msg-Id': id } }]);
    });
    await waitFor(async () => (await deadLetters(referralsDb)) === 1, { timeoutMs: 90_000, description: 'the message dead-lettered' });
    expect(await referralEvents(receivedPersonNeedReferralId(onlyShelter, 'SHELTER'))).toBe(1);
    expect(await referralEvents(receivedPersonNeedReferralId(onlyShelter, 'LEGAL_AID'))).toBe(0);
    const { rows } = await referralsDb.pool.query<{ consumer: string; error: string }>(`SELECT consumer, error FROM messaging_dead_letters`);
    expect(rows).toEqual([{ consumer: RECEIVED_PERSON_NEEDS_DURABLE, error: expect.stringContaining('LEGAL_AID: receiver-cannot-provide-service') }]);
    expect(rows[0]?.error).not.toMatch(/Lục|Nông|SHELTER/);
  });

  it('erases the handed-over person when cases erases the person they are: key shredded, marked once, however often the message comes', async () => {
    const recordId = cooperationRecordIdFor(GUARD_AGENCY, 'handover-0042');
    const handedOverPersonId = handedOverPersonIdFor(recordId, 0);
    const before = await call(crossBorderUrl(), 'GET', `/api/v1/records/${recordId}`, guard);
    const casesPersonId = (before.body.persons as Array<{ casesPersonId: string }>)[0]?.casesPersonId as string;
    const keep = handedOverPersonIdFor(cooperationRecordIdFor(GUARD_AGENCY, 'handover-0041'), 0);
    expect(await erasedMarkers(handedOverPersonId)).toBe(0);

    const dataProtection = await signDevToken({ agency: '20-POLICE', roles: ['data-protection'], units: ['20'] });
    const erased = await call(
      (cases as CasesService).url,
      'POST',
      `/api/v1/persons/${casesPersonId}/erasure`,
      dataProtection,
      { reference: 'DP-2026-014' },
      { 'if-match': '"0"' },
    );
    expect(erased.status).toBe(200);
    await waitFor(async () => (await erasedMarkers(handedOverPersonId)) === 1, { timeoutMs: 90_000, description: 'the handed-over person erased' });
    const after = await call(crossBorderUrl(), 'GET', `/api/v1/records/${recordId}`, guard);
    expect((after.body.persons as unknown[])[0]).toMatchObject({ id: handedOverPersonId, fullName: '[erased]', birthYear: '[erased]', erased: true });
    // The key is gone (crypto-shredding), the marker names the cases event, nothing personal.
    const key = await crossBorderDb.pool.query<{ erased: boolean; wrapped: boolean }>(
      `SELECT erased_at IS NOT NULL AS erased, wrapped_key IS NOT NULL AS wrapped FROM pii_subject_keys WHERE subject_id = $1`,
      [handedOverPersonId],
    );
    expect(key.rows).toEqual([{ erased: true, wrapped: false }]);

    // The erasure delivered again, also after a restart of cross-border: nothing more.
    await republishLast(ERASED_SUBJECT);
    await waitFor(consumerDone(CASES_PERSON_ERASURE_DURABLE), { timeoutMs: 60_000, description: 'the copy acknowledged' });
    await crossBorder?.stop();
    crossBorder = undefined;
    await startCrossBorder();
    await republishLast(ERASED_SUBJECT);
    await waitFor(consumerDone(CASES_PERSON_ERASURE_DURABLE), { timeoutMs: 60_000, description: 'the copy after the restart acknowledged' });
    expect(await erasedMarkers(handedOverPersonId)).toBe(1);
    expect(await deadLetters(crossBorderDb)).toBe(0);
    // The other victim, another person of cases, is untouched.
    expect(await erasedMarkers(keep)).toBe(0);
    const other = await call(crossBorderUrl(), 'GET', `/api/v1/records/${cooperationRecordIdFor(GUARD_AGENCY, 'handover-0041')}`, guard);
    expect((other.body.persons as unknown[])[0]).toMatchObject({ fullName: 'Lục Thị Hoa', erased: false });
  });
});
