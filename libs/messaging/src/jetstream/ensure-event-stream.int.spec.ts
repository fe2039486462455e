import { jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { createTestJetStream, type TestJetStream } from '@haidang/testing';
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

  it('creates the stream with file storage, a 2-minute duplicate window and one replica by default', async () => {
    const info = await ensureEventStream(jsm, { name: names.streamName, subjects: [`${names.subjectPrefix}.>`] });
    expect(info.config).toMatchObject({
      name: names.streamName,
      subjects: [`${names.subjectPrefix}.>`],
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
});
