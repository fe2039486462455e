import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connect as connectTcp } from 'node:net';
import { type NatsServerHandle, startNatsServer } from './nats-server';

jest.setTimeout(60_000);

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function streamMessages(url: string, stream: string): Promise<number> {
  const nc = await connect({ servers: url, reconnect: false });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

describe('startNatsServer', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('keeps JetStream data across stop and restart, on the same port', async () => {
    const nc = await connect({ servers: server.url, reconnect: false });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'EVENTS', subjects: ['evt.>'] });
    const js = jetstream(nc);
    for (let i = 0; i < 3; i++) await js.publish('evt.cases.RehabCase.RehabStarted', String(i), { msgID: `e${i}` });
    await nc.close();

    await server.stop();
    expect(await portAccepts(server.port)).toBe(false);

    await server.restart();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(await streamMessages(server.url, 'EVENTS')).toBe(3);
  });

  it('kill() takes the broker down at once and restart() brings it back', async () => {
    await server.kill();
    expect(await portAccepts(server.port)).toBe(false);
    await server.restart();
    expect(await portAccepts(server.port)).toBe(true);
    // Messages synced to disk before the kill survive; the earlier stop() flushed all three.
    expect(await streamMessages(server.url, 'EVENTS')).toBe(3);
  });
});
