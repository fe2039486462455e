/**
 * Who sees what of a referral, over HTTP on real PostgreSQL (no cases service: the referrals are
 * recorded through the referral's store, as the service would, on days in 2039 the request clock is set
 * to): a receiver sees of the consent only what concerns its service; a non-state receiver sees the
 * case id and the decision number only when treatment data goes on a ground that covers it; once
 * the consent it rested on is withdrawn it sees what an earlier receiver sees (read, list,
 * history); each party sees its part of the history, officers only of its own agency. Also: a
 * retry the next day under the same Idempotency-Key gets the first result, and a client cannot
 * take the deadline checker's key from it.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { markOverdueReferrals, overdueIdempotencyKey } from '../overdue/mark-overdue-referrals';
import { at, manualClock, overdueEventsOf, projected, referralStep } from '../overdue/overdue.test-fixtures';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../referrals-service';
import { READ_MODEL } from '../tokens';
import type { Consent, ReferralCommand, SharingLegalBasis } from './domain';
import { CommandPipeline } from '@haidang/service-kit';
import { overdueCandidatesFrom } from '../projections/referrals/overdue-candidates.query';
import { referral, referralStream, type ReferralStore } from './referral.aggregate';

jest.setTimeout(90_000);

type Body = Record<string, unknown>;

const COMMUNE = '22-COMMUNE-06793';
const NGO = '22-NGO-1';
const CLUB = '22-SUPPORT_MODEL-3';
const EMPLOYMENT = '22-EMPLOYMENT_CENTRE';
/** The departments holding DOLISA's functions since 2025-03-01 (ADR 0010): Home Affairs for jobs, Health for counselling. */
const HOME_AFFAIRS = '22-HOME_AFFAIRS';
const HEALTH_DEPT = '22-HEALTH';
const CONSENT: Consent = {
  given: true,
  recordedOn: '2039-02-20',
  scope: { services: ['COUNSELLING', 'JOB_PLACEMENT', 'HEALTH_HIV_METHADONE'], treatmentData: true },
};
const BASIS: SharingLegalBasis = { decisionNo: '27/QĐ-UBND', decisionDate: '2039-02-25', lawArticle: 'Law 91/2025/QH15, Art. 19(1)(b)' };

describe('what each party sees of a referral', () => {
  let database: TestDatabase;
  let referrals: ReferralsService;
  let repository: ReferralStore;
  const requestClock = manualClock('2039-03-02');
  const tokens: Record<string, string> = {};

  const api = async (method: string, path: string, as: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${referrals.url}/api/v1/referrals${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as] ?? ''}`, ...options.headers },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
  };
  const read = async (id: string, as: string): Promise<Body> => {
    const reply = await api('GET', `/${id}`, as);
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const history = async (id: string, as: string): Promise<Body[]> => {
    const reply = await api('GET', `/${id}/history`, as);
    expect(reply.status).toBe(200);
    return reply.body.items as Body[];
  };
  const incoming = async (id: string, as: string): Promise<Body> => {
    await waitFor(() => projected(referrals.service.app.get<DataSource>(READ_MODEL), repository, [id]), {
      timeoutMs: 15_000,
      description: 'read model caught up',
    });
    const reply = await api('GET', '?direction=incoming', as);
    const item = (reply.body.items as Body[]).find((i) => i.id === id);
    if (!item) throw new Error(`${id} not in the inbox of ${as}`);
    return item;
  };
  const step = (id: string, agency: string, command: ReferralCommand, day: string) => referralStep(repository, id, agency, command, at(day));
  /** Sent on 2039-03-01 by the commune. */
  const send = async (data: {
    toAgency: string;
    serviceType: 'COUNSELLING' | 'JOB_PLACEMENT' | 'HEALTH_HIV_METHADONE';
    sharesTreatmentData?: boolean;
    consent?: Consent;
    legalBasis?: SharingLegalBasis;
    dueBy?: string;
  }) => {
    const referralId = randomUUID();
    await step(
      referralId,
      COMMUNE,
      {
        type: 'CreateReferral',
        data: {
          referralId,
          personId: randomUUID(),
          caseId: randomUUID(),
          fromAgency: COMMUNE,
          reason: 'Peer counselling after rehab at the facility.',
          urgency: 'NORMAL',
          ...data,
        },
      },
      '2039-03-01',
    );
    return referralId;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: referralsMigrations });
    referrals = await startReferralsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rpcBroker: new InProcessRpcBroker(),
      requestClock: requestClock.now,
    });
    repository = referrals.service.app.get(CommandPipeline).storeOf(referral);
    for (const agency of [COMMUNE, NGO, CLUB, EMPLOYMENT, HOME_AFFAIRS, HEALTH_DEPT])
      tokens[agency] = await signDevToken({ agency, roles: ['caseworker'], units: [agency === COMMUNE ? '06793' : '22'] });
  });
  afterAll(async () => {
    await referrals?.stop();
    await database?.drop();
  });

  it('shows a receiver of the consent only what concerns its own service, and a non-state one no case id without treatment data', async () => {
    const id = await send({ toAgency: NGO, serviceType: 'COUNSELLING', consent: CONSENT });
    const asNgo = await read(id, NGO);
    expect(asNgo.consent).toEqual({ given: true, recordedOn: '2039-02-20', coversService: true, withdrawn: false, withdrawnOn: null });
    expect(asNgo).not.toHaveProperty('caseId');
    expect(asNgo).toMatchObject({ yourRole: 'receiver', reason: 'Peer counselling after rehab at the facility.' });
    expect(await incoming(id, NGO)).not.toHaveProperty('caseId');
    // The sender sees all it recorded.
    expect(await read(id, COMMUNE)).toMatchObject({ caseId: expect.any(String), consent: { services: CONSENT.scope.services, treatmentData: true } });
  });

  it('shows a non-state receiver the case id when treatment data goes with consent covering it', async () => {
    const id = await send({ toAgency: NGO, serviceType: 'HEALTH_HIV_METHADONE', sharesTreatmentData: true, consent: CONSENT });
    const asNgo = await read(id, NGO);
    expect(asNgo).toMatchObject({ caseId: expect.any(String), sharesTreatmentData: true, consent: { coversService: true, treatmentData: true } });
    expect(asNgo.consent).not.toHaveProperty('services');
    expect(await incoming(id, NGO)).toHaveProperty('caseId', asNgo.caseId);
  });

  it('leaves the decision number and the case id out for a non-state receiver on a legal basis without treatment data; a state body sees both', async () => {
    const club = await send({ toAgency: CLUB, serviceType: 'COUNSELLING', legalBasis: BASIS });
    const asClub = await read(club, CLUB);
    expect(asClub.legalBasis).toEqual({ decisionDate: BASIS.decisionDate, lawArticle: BASIS.lawArticle });
    expect(asClub).not.toHaveProperty('caseId');
    expect(await incoming(club, CLUB)).not.toHaveProperty('caseId');
    const state = await send({ toAgency: HEALTH_DEPT, serviceType: 'COUNSELLING', legalBasis: BASIS });
    expect(await read(state, HEALTH_DEPT)).toMatchObject({ legalBasis: BASIS, caseId: expect.any(String) });
    expect(await incoming(state, HEALTH_DEPT)).toHaveProperty('caseId');
  });

  it('gives a non-state receiver whose only ground was consent the earlier-receiver view once the consent is withdrawn: read, list and history', async () => {
    const id = await send({ toAgency: NGO, serviceType: 'HEALTH_HIV_METHADONE', sharesTreatmentData: true, consent: CONSENT });
    expect(await read(id, NGO)).toHaveProperty('caseId');
    await step(id, COMMUNE, { type: 'WithdrawConsent', data: { byAgency: COMMUNE, withdrawnOn: '2039-03-02' } }, '2039-03-02');
    const asNgo = await read(id, NGO);
    for (const field of ['reason', 'caseId', 'legalBasis', 'sharesTreatmentData', 'chain']) expect([field, asNgo[field]]).toEqual([field, undefined]);
    // Told that (and when) the consent went, nothing of what it said.
    expect(asNgo).toMatchObject({ yourRole: 'receiver', status: 'SENT', consent: { withdrawn: true, withdrawnOn: '2039-03-02' } });
    expect(Object.keys(asNgo.consent as Body).sort()).toEqual(['withdrawn', 'withdrawnOn']);
    expect(await incoming(id, NGO)).toMatchObject({ consentWithdrawn: true });
    expect(await incoming(id, NGO)).not.toHaveProperty('caseId');
    // It may still answer; its history ends at the withdrawal, but for its own steps.
    await step(id, NGO, { type: 'DeclineReferral', data: { byAgency: NGO, reason: 'CLIENT_REFUSED' } }, '2039-03-03');
    const items = await history(id, NGO);
    expect(items.map((i) => i.type)).toEqual(['ReferralSent', 'ConsentWithdrawn', 'ReferralDeclined']);
    expect(items.map((i) => i.actor)).toEqual([null, null, `officer@${NGO}`]);
    // The sender still sees it all.
    expect(await read(id, COMMUNE)).toMatchObject({ caseId: expect.any(String), reason: expect.any(String), consent: { services: CONSENT.scope.services } });
  });

  it('keeps the view of a non-state receiver that also has a legal basis when the consent is withdrawn', async () => {
    const id = await send({ toAgency: NGO, serviceType: 'COUNSELLING', consent: CONSENT, legalBasis: BASIS });
    await step(id, COMMUNE, { type: 'WithdrawConsent', data: { byAgency: COMMUNE, withdrawnOn: '2039-03-02' } }, '2039-03-02');
    expect(await read(id, NGO)).toMatchObject({
      reason: expect.any(String),
      consent: { coversService: true, withdrawn: true },
      legalBasis: { lawArticle: BASIS.lawArticle },
    });
  });

  it('shows each party its part of the history, and officers only of its own agency', async () => {
    const id = await send({ toAgency: EMPLOYMENT, serviceType: 'JOB_PLACEMENT' });
    await step(id, EMPLOYMENT, { type: 'RedirectReferral', data: { byAgency: EMPLOYMENT, toAgency: HOME_AFFAIRS } }, '2039-03-02');
    await step(id, HOME_AFFAIRS, { type: 'AcceptReferral', data: { byAgency: HOME_AFFAIRS } }, '2039-03-03');
    const row = (i: Body) => [i.version, i.type, i.agency, i.actor, i.toAgency];
    expect((await history(id, COMMUNE)).map(row)).toEqual([
      [0, 'ReferralSent', COMMUNE, `officer@${COMMUNE}`, EMPLOYMENT],
      [1, 'ReferralRedirected', EMPLOYMENT, null, HOME_AFFAIRS],
      [2, 'ReferralAccepted', HOME_AFFAIRS, null, null],
    ]);
    // The earlier receiver: up to when it passed the referral on.
    expect((await history(id, EMPLOYMENT)).map(row)).toEqual([
      [0, 'ReferralSent', COMMUNE, null, EMPLOYMENT],
      [1, 'ReferralRedirected', EMPLOYMENT, `officer@${EMPLOYMENT}`, HOME_AFFAIRS],
    ]);
    // The current receiver: from when it received, no earlier receiver named.
    const asHomeAffairs = await history(id, HOME_AFFAIRS);
    expect(asHomeAffairs.map(row)).toEqual([
      [1, 'ReferralRedirected', null, null, HOME_AFFAIRS],
      [2, 'ReferralAccepted', HOME_AFFAIRS, `officer@${HOME_AFFAIRS}`, null],
    ]);
    expect(JSON.stringify(asHomeAffairs)).not.toContain(EMPLOYMENT);
  });

  it('answers a retry the next day under the same Idempotency-Key with the first result, and records nothing more', async () => {
    const id = await send({ toAgency: EMPLOYMENT, serviceType: 'JOB_PLACEMENT' });
    const accept = () => api('POST', `/${id}/accept`, EMPLOYMENT, { body: {}, headers: { 'if-match': '"0"', 'idempotency-key': 'accept-at-midnight-1' } });
    requestClock.set('2039-03-02');
    const first = await accept();
    expect([first.status, first.body]).toEqual([200, { id, version: 1 }]);
    requestClock.set('2039-03-03');
    const retried = await accept();
    expect([retried.status, retried.body]).toEqual([200, { id, version: 1 }]);
    const stored = await referrals.pool.query<{ event_type: string }>('SELECT event_type FROM es_events WHERE stream_name = $1 ORDER BY stream_revision', [
      referralStream(id),
    ]);
    expect(stored.rows.map((r) => r.event_type)).toEqual(['ReferralSent', 'ReferralAccepted']);
    expect((await read(id, EMPLOYMENT)).acceptedOn).toBe('2039-03-02');
    // Another request under the key is still refused.
    const other = await api('POST', `/${id}/decline`, EMPLOYMENT, {
      body: { reason: 'NO_CAPACITY' },
      headers: { 'if-match': '"0"', 'idempotency-key': 'accept-at-midnight-1' },
    });
    expect([other.status, other.body.type]).toEqual([422, 'urn:haidang:problem:idempotency-key-reused']);
  });

  it('marks a referral overdue even when a client of the receiver used the deadline checker’s key first', async () => {
    const late = await send({ toAgency: EMPLOYMENT, serviceType: 'JOB_PLACEMENT', dueBy: '2039-03-04' });
    const other = await send({ toAgency: EMPLOYMENT, serviceType: 'JOB_PLACEMENT' });
    requestClock.set('2039-03-03');
    const preempt = await api('POST', `/${other}/accept`, EMPLOYMENT, {
      body: {},
      headers: { 'if-match': '"0"', 'idempotency-key': overdueIdempotencyKey(late, EMPLOYMENT, '2039-03-04') },
    });
    expect(preempt.status).toBe(200);
    const readModel = referrals.service.app.get<DataSource>(READ_MODEL);
    await waitFor(() => projected(readModel, repository, [late, other]), { timeoutMs: 15_000, description: 'read model caught up' });
    const round = await markOverdueReferrals({
      referrals: referrals.service.app.get(CommandPipeline),
      candidates: overdueCandidatesFrom(readModel),
      now: at('2039-03-05'),
    });
    expect(round.failed).toBe(0);
    expect((await overdueEventsOf(referrals.pool, late)).map((e) => e.data)).toEqual([{ receiver: EMPLOYMENT, dueOn: '2039-03-04', markedOn: '2039-03-05' }]);
  });
});
