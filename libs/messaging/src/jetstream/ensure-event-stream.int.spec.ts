import { jetstream, jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { createTestJetStream, type TestJetStream } from '@haidang/testing';
import { integrationPrefixFor } from '../outbox/integration-subjects';
import { ensureEventStream } from './ensure-event-stream';

describe('ensureEventStream', () => {
  let names: TestJetStream;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeEach(async () => {
    names = await createTestJetStream({ create: false }); // names only: the stream is ours to create
    nc = await connect({ servers: names.url });
    jsm = await jetstreamManager(nc);
  });

  afterEach(async () => {
    await nc.close();
    await names.cleanup();
  });

  const integrationSubjects = (): string => `${integrationPrefixFor(names.subjectPrefix) ?? 'none'}.>`;

  it('creates the stream with file storage, a 2-minute duplicate window and one replica by default', async () => {
    const info = await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] });
    expect(info.config).toMatchObject({
      name: names.streamName,
      // The integration subjects that go with the event prefix (t….evt → t….int) come along.
      subjects: [`${names.subjectPrefix}.>`, integrationSubjects()],
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
      num_replicas: 1,
      max_age: 0,
    });
  });

  it('is idempotent, and brings an existing stream to a new configuration', async () => {
    const options = { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] };
    await ensureEventStream(jsm, options);
    await ensureEventStream(jsm, options);
    const updated = await ensureEventStream(jsm, { ...options, duplicateWindowMs: 30_000, maxAgeMs: 3_600_000 });
    expect(updated.config.duplicate_window).toBe(nanos(30_000));
    expect(updated.config.max_age).toBe(nanos(3_600_000));
    expect((await jsm.streams.info(names.streamName)).config.duplicate_window).toBe(nanos(30_000));
  });

  it('refuses to change the storage of an existing stream', async () => {
    await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`], storage: 'memory' });
    await expect(ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`], storage: 'file' })).rejects.toThrow(/storage/);
  });

  it('adds the integration subjects to an existing stream that lacks them, and keeps subjects it has', async () => {
    const extra = `${names.subjectPrefix.replace(/\.evt$/, '')}.audit.>`;
    await jsm.streams.add({ name: names.streamName, subjects: [`${names.subjectPrefix}.>`, extra] }); // as an older version left it
    const info = await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] });
    expect([...info.config.subjects].sort()).toEqual([`${names.subjectPrefix}.>`, extra, integrationSubjects()].sort());
    // Idempotent: asked again, nothing changes (and nothing is taken away).
    const again = await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] });
    expect([...again.config.subjects].sort()).toEqual([...info.config.subjects].sort());
  });

  it('stores a message published on an integration subject', async () => {
    await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] });
    const js = jetstream(nc);
    const ack = await js.publish(`${integrationPrefixFor(names.subjectPrefix) ?? 'none'}.cases.RehabCompleted.v1`, '{}');
    expect(ack.stream).toBe(names.streamName);
  });

  it('holds no integration subjects when asked for none, or when the event prefix does not end in evt', async () => {
    const none = await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`], integrationSubjects: [] });
    expect(none.config.subjects).toEqual([`${names.subjectPrefix}.>`]);
    await jsm.streams.delete(names.streamName);
    const other = `${names.subjectPrefix.replace(/\.evt$/, '')}.events.>`;
    const custom = await ensureEventStream(jsm, { name: names.streamName, subjects: [other] });
    expect(custom.config.subjects).toEqual([other]);
  });
  it('leaves the settings an operator gave an existing stream alone when a service starts with the defaults', async () => {
    const options = { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] };
    await ensureEventStream(jsm, { ...options, duplicateWindowMs: 5_000, maxAgeMs: 3_600_000 });
    // What every service does at start: the defaults, asking for nothing in particular.
    const info = await ensureEventStream(jsm, options);
    expect(info.config.duplicate_window).toBe(nanos(5_000));
    expect(info.config.max_age).toBe(nanos(3_600_000));
  });
});
