/**
 * What people see once the deadline checker has marked a referral: the sender's supervisors get it
 * in `GET /api/v1/referral-escalations` (their agency's only, still pending only, no personal
 * field), nobody else gets that list (403), and sender and receiver see the overdue flag in their
 * own lists. The dates are in 2039, so the lists' "pending after the due date today" (the real
 * today) is false: only the flag the checker set can make these referrals overdue there.
 */
import type { DataSource } from 'typeorm';
import { signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { CommandPipeline } from '@haidang/service-kit';
import { referral } from '../referral/referral.aggregate';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../referrals-service';
import { READ_MODEL } from '../tokens';
import { EMPLOYMENT, FACILITY, manualClock, overdueEvents, projected, referralSteps, rowOf, HOME_AFFAIRS } from './overdue.test-fixtures';

jest.setTimeout(60_000);

describe('referral escalations', () => {
  let database: TestDatabase;
  let referrals: ReferralsService;
  const clock = manualClock('2039-03-01');
  const ids: Record<'overdue' | 'acceptedLate' | 'inTime' | 'otherSender' | 'declinedLate' | 'withdrawnLate' | 'completedLate', string> = {
    overdue: '',
    acceptedLate: '',
    inTime: '',
    otherSender: '',
    declinedLate: '',
    withdrawnLate: '',
    completedLate: '',
  };
  /** Marked overdue, then answered or closed: no longer late anywhere. */
  const closedLate = (): string[] => [ids.acceptedLate, ids.declinedLate, ids.withdrawnLate, ids.completedLate];
  const tokens: Record<string, string> = {};
  const readModel = (): DataSource => referrals.service.app.get<DataSource>(READ_MODEL);

  const get = async (path: string, token: string | undefined) => {
    const response = await fetch(`${referrals.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as { total: number; items: Record<string, unknown>[] } };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: referralsMigrations });
    referrals = await startReferralsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rpcBroker: new InProcessRpcBroker(),
      overdueCheckIntervalMs: 25,
      clock: clock.now,
    });
    const repository = referrals.service.app.get(CommandPipeline).storeOf(referral);
    const steps = referralSteps(repository);
    ids.overdue = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    ids.acceptedLate = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    ids.inTime = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-20' });
    ids.otherSender = await steps.send({ from: HOME_AFFAIRS, sentOn: '2039-03-01', dueBy: '2039-03-04' });
    ids.declinedLate = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    ids.withdrawnLate = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    ids.completedLate = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    clock.set('2039-03-05');
    await waitFor(async () => (await overdueEvents(referrals.pool)).length === 6, { timeoutMs: 20_000, description: 'six marks' });
    await steps.accept(ids.acceptedLate, EMPLOYMENT, '2039-03-05');
    await steps.decline(ids.declinedLate, EMPLOYMENT, '2039-03-05');
    await steps.withdraw(ids.withdrawnLate, FACILITY, '2039-03-05');
    await steps.accept(ids.completedLate, EMPLOYMENT, '2039-03-05');
    await steps.complete(ids.completedLate, EMPLOYMENT, '2039-03-06');
    await waitFor(() => projected(readModel(), repository, Object.values(ids)), { timeoutMs: 15_000, description: 'read model caught up' });
    expect(await rowOf(readModel(), ids.overdue)).toMatchObject({ overdue: true });

    tokens['facilitySupervisor'] = await signDevToken({ agency: FACILITY, roles: ['supervisor'], units: ['22'] });
    tokens['facilityCaseworker'] = await signDevToken({ agency: FACILITY, roles: ['caseworker'], units: ['22'] });
    tokens['receiverSupervisor'] = await signDevToken({ agency: EMPLOYMENT, roles: ['supervisor'], units: ['22'] });
    tokens['receiverCaseworker'] = await signDevToken({ agency: EMPLOYMENT, roles: ['caseworker'], units: ['22'] });
    tokens['homeAffairsSupervisor'] = await signDevToken({ agency: HOME_AFFAIRS, roles: ['supervisor'], units: ['22'] });
    tokens['ppc'] = await signDevToken({ agency: '22-PPC', roles: ['supervisor', 'analyst'], units: ['22'] });
  });
  afterAll(async () => {
    await referrals?.stop();
    await database?.drop();
  });

  it('lists to the sender’s supervisors their outgoing referrals marked overdue and still pending, without personal fields', async () => {
    const response = await get('/api/v1/referral-escalations', tokens['facilitySupervisor']);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    expect(response.body.items).toEqual([
      {
        id: ids.overdue,
        serviceType: 'JOB_PLACEMENT',
        urgency: 'NORMAL',
        status: 'SENT',
        toAgency: EMPLOYMENT,
        sentOn: '2039-03-01',
        dueOn: '2039-03-04',
        markedOverdueOn: '2039-03-05',
        version: 1,
      },
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/person|reason/i);
    // Each sender agency sees its own.
    const homeAffairs = await get('/api/v1/referral-escalations', tokens['homeAffairsSupervisor']);
    expect(homeAffairs.body.items.map((i) => i.id)).toEqual([ids.otherSender]);
  });

  it('refuses the list to a caseworker, to the receiver and to the PPC (403), and to no token (401)', async () => {
    expect((await get('/api/v1/referral-escalations', tokens['facilityCaseworker'])).status).toBe(403);
    expect((await get('/api/v1/referral-escalations', tokens['receiverSupervisor'])).status).toBe(403);
    expect((await get('/api/v1/referral-escalations', tokens['receiverCaseworker'])).status).toBe(403);
    expect((await get('/api/v1/referral-escalations', tokens['ppc'])).status).toBe(403);
    expect((await get('/api/v1/referral-escalations', undefined)).status).toBe(401);
    expect((await get('/api/v1/referral-escalations?page=0', tokens['facilitySupervisor'])).status).toBe(400);
  });

  it('shows the overdue flag in the sender’s outgoing and the receiver’s incoming lists', async () => {
    const listed = (body: { items: Record<string, unknown>[] }) =>
      body.items.filter((i) => !closedLate().includes(i.id as string)).map((i) => [i.id, i.overdue]);
    const outgoing = await get('/api/v1/referrals?direction=outgoing&overdue=true', tokens['facilityCaseworker']);
    expect(outgoing.status).toBe(200);
    expect(listed(outgoing.body)).toEqual([[ids.overdue, true]]);
    const incoming = await get('/api/v1/referrals?direction=incoming&overdue=true', tokens['receiverCaseworker']);
    expect(listed(incoming.body).sort()).toEqual(
      [
        [ids.overdue, true],
        [ids.otherSender, true],
      ].sort(),
    );
    // Due 2039-03-20 and not marked: not overdue.
    const notOverdue = await get('/api/v1/referrals?direction=incoming&overdue=false', tokens['receiverCaseworker']);
    expect(listed(notOverdue.body)).toEqual([[ids.inTime, false]]);
  });

  it('clears the overdue flag once a late referral is accepted, declined, withdrawn or completed: not overdue in any list', async () => {
    for (const id of closedLate())
      expect([id, await rowOf(readModel(), id)]).toEqual([id, expect.objectContaining({ overdue: false, overdue_marked_on: null })]);
    const overdueIds = async (query: string, token: string | undefined) => (await get(`/api/v1/referrals?${query}`, token)).body.items.map((i) => i.id);
    for (const [query, token] of [
      ['direction=outgoing&overdue=true', tokens['facilityCaseworker']],
      ['direction=incoming&overdue=true', tokens['receiverCaseworker']],
    ] as const) {
      const listedIds = await overdueIds(query, token);
      for (const id of closedLate()) expect([query, id, listedIds.includes(id)]).toEqual([query, id, false]);
    }
    // …and shown as not overdue where they are listed.
    const closed = (await get('/api/v1/referrals?direction=outgoing&overdue=false', tokens['facilityCaseworker'])).body.items.filter((i) =>
      closedLate().includes(i.id as string),
    );
    expect(closed.map((i) => i.overdue)).toEqual([false, false, false, false]);
    // The single read agrees.
    const read = await get(`/api/v1/referrals/${ids.acceptedLate}`, tokens['facilityCaseworker']);
    expect((read.body as unknown as { overdue: boolean }).overdue).toBe(false);
    // The escalation list holds the pending one only.
    expect((await get('/api/v1/referral-escalations', tokens['facilitySupervisor'])).body.items.map((i) => i.id)).toEqual([ids.overdue]);
  });
});
