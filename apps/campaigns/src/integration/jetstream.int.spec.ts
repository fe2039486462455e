/**
 * End to end on a real NATS JetStream: activities recorded over HTTP reach the stream as their
 * domain events (`evt.campaigns.Activity.<Type>`, under a test subject prefix and stream), each
 * once, in the order they were committed, with the event id as `Nats-Msg-Id` dedup key.
 */
import { signDevToken } from '@haidang/auth';
import type { RecordedEvent } from '@haidang/event-store';
import { InMemoryDeadLetters, JetStreamEventBus, silentLogger } from '@haidang/messaging';
import { createTestDatabase, createTestJetStream, waitFor, type TestDatabase, type TestJetStream } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { ARTICLE, httpClient, MEETING } from '../campaigns.test-fixtures';

jest.setTimeout(60_000);

describe('campaigns domain events on JetStream', () => {
  let database: TestDatabase;
  let jetStream: TestJetStream;
  let bus: JetStreamEventBus;
  let running: CampaignsService;
  const received: RecordedEvent[] = [];
  const { call } = httpClient(() => running.url);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    jetStream = await createTestJetStream();
    bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName });
    running = await startCampaignsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      bus,
      eventSubjectPrefix: jetStream.subjectPrefix,
    });
    await bus.consume({
      durable: 'test-campaigns-domain-events',
      filterSubjects: [`${jetStream.subjectPrefix}.campaigns.>`],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (event) => void received.push(event),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await bus?.close();
    await jetStream?.cleanup();
    await database?.drop();
  });

  it('publishes the recorded activities and the withdrawal in commit order, each once', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const dolisa = await signDevToken({ agency: '22-DOLISA', roles: ['caseworker'], units: ['22'] });
    const ids: string[] = [];
    for (const [i, heldOn] of ['2022-06-03', '2022-06-10', '2022-06-17', '2022-06-24'].entries()) {
      const reply = await call('POST', '/api/v1/activities', { token: commune, body: { ...MEETING, heldOn, audienceCount: 50 + i } });
      expect(reply.status).toBe(201);
      ids.push(reply.body.id as string);
    }
    const article = await call('POST', '/api/v1/activities', { token: dolisa, body: ARTICLE });
    expect(article.status).toBe(201);
    const withdrawn = await call('POST', `/api/v1/activities/${ids[1]}/withdrawal`, {
      token: commune,
      body: { withdrawnOn: '2022-06-11', reason: 'DUPLICATE' },
      headers: { 'if-match': '"0"' },
    });
    expect(withdrawn.status).toBe(200);

    const committed = (
      await database.pool.query<{ event_id: string; event_type: string; stream_name: string }>(
        `SELECT event_id::text, event_type, stream_name FROM es_events ORDER BY transaction_id, global_position`,
      )
    ).rows;
    expect(committed).toHaveLength(6);
    await waitFor(() => received.length >= committed.length, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would show up now
    expect(received.map((e) => e.id)).toEqual(committed.map((r) => r.event_id));
    expect(received.map((e) => e.type)).toEqual([
      'ActivityRecorded',
      'ActivityRecorded',
      'ActivityRecorded',
      'ActivityRecorded',
      'ActivityRecorded',
      'ActivityWithdrawn',
    ]);
    expect(received.map((e) => e.streamId)).toEqual(committed.map((r) => r.stream_name));
    expect(received[0]?.data).toMatchObject({ heldOn: '2022-06-03', communeCodes: ['06793'], audienceCount: 50 });
    expect(received[5]?.streamId).toBe(`Activity-${ids[1]}`);
  });
});
