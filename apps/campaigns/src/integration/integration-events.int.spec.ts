/**
 * The campaigns service's integration events, on the in-process bus of the embedded default (the
 * same EventBus port JetStream implements): each recorded fact becomes its `campaigns.*.v1` event
 * through the outbox, valid against libs/contracts, once, in the order recorded, with the domain
 * event's id and no free text beyond codes, dates, counts and the article's outlet and URL.
 */
import { signDevToken } from '@haidang/auth';
import { CampaignsIntegrationEventTypes as T, validateCampaignsIntegrationEvent } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { InMemoryDeadLetters, InProcessEventBus, silentLogger } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { ARTICLE, httpClient, MEETING, PLAN_146, TARGET_ACTIVITY } from '../campaigns.test-fixtures';

jest.setTimeout(60_000);

describe('campaigns integration events', () => {
  let database: TestDatabase;
  let bus: InProcessEventBus;
  let running: CampaignsService;
  const received: RecordedEvent[] = [];
  const { call } = httpClient(() => running.url);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    bus = new InProcessEventBus();
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '', bus });
    await bus.consume({
      durable: 'test-campaigns-integration',
      filterSubjects: ['int.campaigns.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (e) => void received.push(e),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await bus?.close();
    await database?.drop();
  });

  it('publishes every recorded fact as its v1 integration event, valid, once, in order, keyed by the domain event', async () => {
    const ppc = await signDevToken({ agency: '22-PPC', roles: ['supervisor'], units: ['22'] });
    const dolisa = await signDevToken({ agency: '22-DOLISA', roles: ['caseworker'], units: ['22'] });
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const club = await signDevToken({ agency: '22-SUPPORT_MODEL-3', roles: ['caseworker'], units: ['22'] });
    const ok = (reply: { status: number }) => expect(reply.status).toBeLessThan(300);

    const plan = await call('POST', '/api/v1/plans', { token: ppc, body: PLAN_146 });
    ok(plan);
    const planId = plan.body.id as string;
    ok(
      await call('POST', `/api/v1/plans/${planId}/amendments`, {
        token: ppc,
        body: { number: '201/KH-UBND', issuedOn: '2022-06-15', effectiveFrom: '2022-07-01', targets: [{ ...TARGET_ACTIVITY, value: 90 }] },
        headers: { 'if-match': '"0"' },
      }),
    );
    const meeting = await call('POST', '/api/v1/activities', { token: commune, body: { ...MEETING, planId } });
    ok(meeting);
    ok(await call('POST', '/api/v1/activities', { token: dolisa, body: { ...ARTICLE, planId } }));
    ok(
      await call('POST', `/api/v1/activities/${meeting.body.id as string}/withdrawal`, {
        token: commune,
        body: { withdrawnOn: '2022-06-27', reason: 'DUPLICATE' },
        headers: { 'if-match': '"0"' },
      }),
    );
    const model = await call('POST', '/api/v1/support-models', {
      token: commune,
      body: {
        modelCode: '22-SUPPORT_MODEL-3',
        name: 'CLB hỗ trợ người sau cai',
        kind: 'AFTER_CARE_CLUB',
        ownerType: 'COMMUNE',
        ownerAgency: '22-COMMUNE-06793',
        communeCode: '06793',
        foundedOn: '2019-03-15',
      },
    });
    ok(model);
    const modelId = model.body.id as string;
    ok(
      await call('POST', `/api/v1/support-models/${modelId}/activity-logs`, {
        token: club,
        body: { periodFrom: '2022-01-01', periodTo: '2022-03-31', meetings: 3, members: 15, personsSupported: 6 },
        headers: { 'if-match': '"0"' },
      }),
    );
    ok(
      await call('POST', `/api/v1/support-models/${modelId}/deactivation`, {
        token: commune,
        body: { deactivatedOn: '2022-09-01', reason: 'NO_FUNDING' },
        headers: { 'if-match': '"1"' },
      }),
    );
    ok(
      await call('POST', `/api/v1/support-models/${modelId}/reactivation`, {
        token: commune,
        body: { reactivatedOn: '2022-10-01' },
        headers: { 'if-match': '"2"' },
      }),
    );
    const zone = await call('POST', '/api/v1/establishments', {
      token: dolisa,
      body: { kind: 'INDUSTRIAL_ZONE', name: 'KCN Cái Lân', communeCode: '06673', openedOn: '2010-01-01' },
    });
    ok(zone);
    ok(
      await call('POST', '/api/v1/activities', {
        token: dolisa,
        body: { ...MEETING, communeCodes: ['06673'], venueType: 'INDUSTRIAL_ZONE', audienceType: 'WORKERS', establishmentIds: [zone.body.id] },
      }),
    );
    ok(
      await call('POST', `/api/v1/establishments/${zone.body.id as string}/closure`, {
        token: dolisa,
        body: { closedOn: '2022-12-01' },
        headers: { 'if-match': '"0"' },
      }),
    );
    ok(
      await call('POST', '/api/v1/trainings', {
        token: dolisa,
        body: { heldOn: '2022-08-10', topic: 'Quản lý sau cai', participants: [{ group: 'REHAB_STAFF', count: 40 }], planId },
      }),
    );
    ok(
      await call('POST', '/api/v1/surveys', {
        token: dolisa,
        body: { conductedFrom: '2022-11-01', conductedTo: '2022-11-30', planId, results: [{ group: 'ADULTS', unitCode: '22', sampleSize: 100, aware: 55 }] },
      }),
    );

    const expected = [
      T.PlanAdoptedV1,
      T.PlanAmendedV1,
      T.ActivityRecordedV1,
      T.ActivityRecordedV1,
      T.ArticlePublishedV1,
      T.ActivityWithdrawnV1,
      T.SupportModelFoundedV1,
      T.SupportModelActivityLoggedV1,
      T.SupportModelDeactivatedV1,
      T.SupportModelReactivatedV1,
      T.EstablishmentRegisteredV1,
      T.ActivityRecordedV1,
      T.EstablishmentClosedV1,
      T.TrainingHeldV1,
      T.SurveyRecordedV1,
    ];
    await waitFor(() => received.length >= expected.length, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would show up now
    expect(received.map((e) => e.type)).toEqual(expected);
    for (const event of received) expect(validateCampaignsIntegrationEvent(event.data)).toEqual({ ok: true, value: event.data });
    expect(received[6]?.data).toMatchObject({ modelId, modelCode: '22-SUPPORT_MODEL-3', kind: 'AFTER_CARE_CLUB', communeCode: '06793' });
    expect(received[9]?.data).toMatchObject({ modelCode: '22-SUPPORT_MODEL-3', reactivatedOn: '2022-10-01' });
    expect(received[4]?.data).toMatchObject({ outletLevel: 'PROVINCIAL', publishedOn: '2022-06-27', planId });
    expect(received[11]?.data).toMatchObject({ venueType: 'INDUSTRIAL_ZONE', establishmentIds: [zone.body.id] });
    expect(received[13]?.data).toMatchObject({ participants: [{ group: 'REHAB_STAFF', count: 40 }] });
    // Each carries the id of the domain event it was made from (the article and its activity share one).
    const domain = (await database.pool.query<{ event_id: string }>(`SELECT event_id::text FROM es_events ORDER BY transaction_id, global_position`)).rows.map(
      (r) => r.event_id,
    );
    const ids = received.map((e) => (e.data as { eventId: string }).eventId);
    expect([...new Set(ids)]).toEqual(domain);
  });

  it('refuses, in the contract, an event with a field it does not name or a bad value', () => {
    const base = {
      type: T.ActivityWithdrawnV1,
      version: 1,
      eventId: crypto.randomUUID(),
      occurredAt: '2022-06-27T01:00:00.000Z',
      activityId: crypto.randomUUID(),
      withdrawnOn: '2022-06-27',
    };
    expect(validateCampaignsIntegrationEvent(base)).toMatchObject({ ok: true });
    expect(validateCampaignsIntegrationEvent({ ...base, note: 'Nguyễn Văn A' })).toEqual({ ok: false, errors: ['note: is not part of the contract'] });
    expect(validateCampaignsIntegrationEvent({ ...base, withdrawnOn: '2022-02-30' })).toMatchObject({ ok: false });
    expect(validateCampaignsIntegrationEvent({ ...base, type: 'campaigns.Nothing.v1' })).toMatchObject({ ok: false });
    const plan = {
      type: T.PlanAdoptedV1,
      version: 1,
      eventId: crypto.randomUUID(),
      occurredAt: '2022-05-20T01:00:00Z',
      planId: crypto.randomUUID(),
      provinceCode: '22',
      issuedBy: '22-PPC',
      number: '146/KH-UBND',
      issuedOn: '2022-05-20',
      leadAgency: '22-DOLISA',
      periodFrom: '2022-01-01',
      periodTo: '2022-12-31',
      parentPlanId: null,
      targets: [{ ...TARGET_ACTIVITY, value: 0 }],
    };
    expect(validateCampaignsIntegrationEvent(plan)).toEqual({ ok: false, errors: ['targets: [0] value: must be a number above 0'] });
  });
});
