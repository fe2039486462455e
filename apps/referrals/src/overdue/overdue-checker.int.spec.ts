/**
 * The referral deadline checker on real PostgreSQL, two referrals services on one database (two
 * replicas): one leader at a time (advisory lock), each overdue referral marked exactly once, also
 * across a clean stop, a crash and a restart, and when rounds race without the lock; the domain's
 * rules (due date itself in time, accepted/declined never, a redirect starts a new mark).
 * Referrals are recorded through the referral's store (no cases service); the checkers read an injected
 * clock, and the spec waits on the leader's completed rounds, never on time.
 */
import type { DataSource } from 'typeorm';
import { InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { CommandPipeline } from '@haidang/service-kit';
import { overdueCandidatesFrom } from '../projections/referrals/overdue-candidates.query';
import { referral, type ReferralStore } from '../referral/referral.aggregate';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../referrals-service';
import { READ_MODEL } from '../tokens';
import { markOverdueReferrals, OVERDUE_CHECKER_ACTOR } from './mark-overdue-referrals';
import { OverdueChecker } from './overdue-checker';
import { EMPLOYMENT, manualClock, overdueEvents, overdueEventsOf, projected, referralSteps, rowOf, HOME_AFFAIRS } from './overdue.test-fixtures';

jest.setTimeout(90_000);

describe('overdue checker', () => {
  let database: TestDatabase;
  const clock = manualClock('2039-03-01');
  let a: ReferralsService;
  let b: ReferralsService;
  let repository: ReferralStore;
  let readModel: DataSource;
  let steps: ReturnType<typeof referralSteps>;
  const extraCheckers: OverdueChecker[] = [];

  const start = () =>
    startReferralsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rpcBroker: new InProcessRpcBroker(),
      overdueCheckIntervalMs: 25,
      clock: clock.now,
    });
  const checkers = (): OverdueChecker[] => [a.overdueChecker, b.overdueChecker, ...extraCheckers];
  const leader = (): Promise<OverdueChecker> => waitFor(() => checkers().find((c) => c.status === 'leader'), { timeoutMs: 20_000, description: 'a leader' });
  /** Waits until the leader has completed `n` more rounds, so at least `n - 1` began after the call. */
  const rounds = async (n = 2): Promise<void> => {
    const current = await leader();
    const target = current.roundsCompleted + n;
    await waitFor(() => current.roundsCompleted >= target || current.status !== 'leader', { timeoutMs: 20_000, description: 'leader rounds' });
    if (current.status !== 'leader') await rounds(n);
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: referralsMigrations });
    a = await start();
    b = await start();
    repository = a.service.app.get(CommandPipeline).storeOf(referral);
    readModel = a.service.app.get<DataSource>(READ_MODEL);
    steps = referralSteps(repository);
  });
  afterAll(async () => {
    for (const checker of extraCheckers) await checker.stop();
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  let late1: string;
  let late2: string;
  let notYetDue: string;
  let accepted: string;
  let declined: string;

  it('marks nothing on or before the due date, and never an accepted or declined referral; then each late one exactly once with two checkers on the database', async () => {
    late1 = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    late2 = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    notYetDue = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-10' });
    accepted = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    declined = await steps.send({ sentOn: '2039-03-01', dueBy: '2039-03-04' });
    await steps.accept(accepted, EMPLOYMENT, '2039-03-03');
    await steps.decline(declined, EMPLOYMENT, '2039-03-04');
    await waitFor(() => projected(readModel, repository, [late1, late2, notYetDue, accepted, declined]), {
      timeoutMs: 15_000,
      description: 'read model caught up',
    });

    clock.set('2039-03-04'); // the due date itself is still in time
    await rounds(3);
    expect(await overdueEvents(a.pool)).toEqual([]);

    clock.set('2039-03-05');
    await waitFor(async () => (await overdueEvents(a.pool)).length >= 2, { timeoutMs: 20_000, description: 'two marks' });
    await rounds(3);
    // One leader, one standby: the lock, not luck, kept the second checker out.
    expect(
      checkers()
        .map((c) => c.status)
        .sort(),
    ).toEqual(['leader', 'standby']);
    for (const id of [late1, late2]) {
      const events = await overdueEventsOf(a.pool, id);
      expect(events.map((e) => e.data)).toEqual([{ receiver: EMPLOYMENT, dueOn: '2039-03-04', markedOn: '2039-03-05' }]);
      // Attributed to the system actor on behalf of the receiver whose deadline lapsed.
      expect(events[0]?.metadata).toMatchObject({ actor: OVERDUE_CHECKER_ACTOR, agency: EMPLOYMENT });
      expect(typeof events[0]?.metadata.correlationId).toBe('string');
    }
    for (const id of [notYetDue, accepted, declined]) expect(await overdueEventsOf(a.pool, id)).toEqual([]);
    await waitFor(async () => (await rowOf(readModel, late1)).overdue, { description: 'flag in the read model' });
    expect(await rowOf(readModel, late1)).toMatchObject({ overdue: true, overdue_marked_on: '2039-03-05' });
    expect(await rowOf(readModel, accepted)).toMatchObject({ overdue: false });
    // Late, but still accepted: the mark is history, the referral goes on (and leaves the candidates).
    await steps.accept(late2, EMPLOYMENT, '2039-03-05');
  });

  it('fires no second event when the leader stops, crashes, or a new checker starts (restart)', async () => {
    const before = (await overdueEvents(a.pool)).length;
    clock.set('2039-03-06');
    const first = await leader();
    await first.stop(); // clean stop: the lock is released
    const second = await leader();
    expect(second).not.toBe(first);
    await rounds(3);
    await second.abort(); // as a crash: the server drops the lock with the session
    const restarted = new OverdueChecker({
      referrals: b.service.app.get(CommandPipeline),
      candidates: overdueCandidatesFrom(b.service.app.get<DataSource>(READ_MODEL)),
      pool: b.pool,
      intervalMs: 25,
      lockRetryMs: 25,
      clock: clock.now,
    });
    extraCheckers.push(restarted);
    restarted.start();
    await waitFor(() => restarted.status === 'leader', { timeoutMs: 20_000, description: 'the restarted checker leads' });
    await rounds(3);
    expect((await overdueEvents(a.pool)).length).toBe(before);
    expect(await overdueEventsOf(a.pool, late1)).toHaveLength(1);
    expect(await overdueEventsOf(a.pool, notYetDue)).toEqual([]);
  });

  it('marks a redirected referral again, once, for its new receiver after the new due date', async () => {
    await steps.redirect(late1, EMPLOYMENT, HOME_AFFAIRS, '2039-03-06');
    const { state } = await repository.load(late1);
    const newDue = state.dueOn as string;
    expect(newDue > '2039-03-06').toBe(true);
    await waitFor(() => projected(readModel, repository, [late1]), { timeoutMs: 15_000, description: 'read model caught up' });
    expect(await rowOf(readModel, late1)).toMatchObject({ overdue: false, overdue_marked_on: null, to_agency: HOME_AFFAIRS });

    clock.set(newDue);
    await rounds(3);
    expect(await overdueEventsOf(a.pool, late1)).toHaveLength(1);

    const dayAfter = new Date(Date.parse(`${newDue}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    clock.set(dayAfter);
    await waitFor(async () => (await overdueEventsOf(a.pool, late1)).length === 2, { timeoutMs: 20_000, description: 'second receiver marked' });
    await rounds(3);
    const events = await overdueEventsOf(a.pool, late1);
    expect(events.map((e) => e.data)).toEqual([
      { receiver: EMPLOYMENT, dueOn: '2039-03-04', markedOn: '2039-03-05' },
      { receiver: HOME_AFFAIRS, dueOn: newDue, markedOn: dayAfter },
    ]);
    expect(events[1]?.metadata).toMatchObject({ actor: OVERDUE_CHECKER_ACTOR, agency: HOME_AFFAIRS });
  });

  it('marks each referral once even when rounds race without the lock (expected version and idempotency key)', async () => {
    // Due on 2039-04-10: the running leader's clock (weeks before) leaves them alone; the racing
    // rounds below are told it is the 11th.
    const racing = await Promise.all(Array.from({ length: 6 }, () => steps.send({ sentOn: '2039-04-01', dueBy: '2039-04-10' })));
    await waitFor(() => projected(readModel, repository, racing), { timeoutMs: 15_000, description: 'read model caught up' });
    const pipelines = [a.service.app.get(CommandPipeline), b.service.app.get(CommandPipeline)];
    const readModels = [a.service.app.get<DataSource>(READ_MODEL), b.service.app.get<DataSource>(READ_MODEL)];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        markOverdueReferrals({
          referrals: pipelines[i % 2] as CommandPipeline,
          candidates: overdueCandidatesFrom(readModels[i % 2] as DataSource),
          now: new Date('2039-04-11T03:00:00Z'),
        }),
      ),
    );
    expect(results.reduce((n, r) => n + r.marked, 0)).toBeGreaterThanOrEqual(racing.length);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    for (const id of racing) expect([id, (await overdueEventsOf(a.pool, id)).length]).toEqual([id, 1]);
  });

  it('counts its work in the service metrics', async () => {
    const scrape = async (service: ReferralsService) => (await fetch(`${service.url}/metrics`)).text();
    const text = (await scrape(a)) + (await scrape(b));
    expect(text).toMatch(/haidang_referrals_overdue_checks_total [1-9]/);
    expect(text).toMatch(/haidang_referrals_overdue_marked_total [1-9]/);
    expect(text).toContain('haidang_referrals_overdue_checker_leader');
  });
});
