import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createTestJetStream, type TestJetStream } from './test-jetstream';

jest.setTimeout(30_000);

describe('createTestJetStream', () => {
  let a: TestJetStream;
  let b: TestJetStream;
  let nc: NatsConnection;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestJetStream(), createTestJetStream()]);
    nc = await connect({ servers: a.url });
  });
  afterAll(async () => {
    await nc.close();
    await Promise.all([a.cleanup(), b.cleanup()]);
  });

  it('gives distinct streams over distinct subject prefixes', async () => {
    expect(a.streamName).not.toBe(b.streamName);
    expect(a.subjectPrefix).not.toBe(b.subjectPrefix);
    expect(a.streamName).toMatch(/^T_[0-9A-F]{12}$/);
    expect(a.subjectPrefix).toMatch(/^t[0-9a-f]{12}\.evt$/);

    const js = jetstream(nc);
    const ack = await js.publish(`${a.subjectPrefix}.cases.RehabCase.RehabStarted`, 'x');
    expect(ack.stream).toBe(a.streamName);

    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(a.streamName)).state.messages).toBe(1);
    expect((await jsm.streams.info(b.streamName)).state.messages).toBe(0);
  });

  it('cleanup deletes the stream', async () => {
    const c = await createTestJetStream();
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.info(c.streamName)).resolves.toBeDefined();
    await c.cleanup();
    await c.cleanup(); // idempotent
    await expect(jsm.streams.info(c.streamName)).rejects.toThrow(/stream not found/);
  });

  it('with create: false reserves names and still cleans up a stream the code under test made', async () => {
    const d = await createTestJetStream({ create: false });
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.info(d.streamName)).rejects.toThrow(/stream not found/);
    await jsm.streams.add({ name: d.streamName, subjects: [`${d.subjectPrefix}.>`], duplicate_window: 60_000_000_000 });
    await d.cleanup();
    await expect(jsm.streams.info(d.streamName)).rejects.toThrow(/stream not found/);
  });
});
