import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import { benchmarkRelay, ensureEventStream } from '@haidang/messaging';

export interface RelayFigure {
  readonly events: number;
  readonly relayEventsPerSecond: number;
  readonly rawPublishEventsPerSecond: number;
  readonly ratio: number;
}

/**
 * The relay catching up a backlog (read from PostgreSQL, publish with Nats-Msg-Id, wait for acks,
 * checkpoint) against a raw JetStream publish of as many messages of the same size, 256 in flight,
 * from this process to a file-storage stream on the same server.
 */
export async function benchmarkRelayAgainstRawPublish(pool: Pool, natsUrl: string, events: number): Promise<RelayFigure> {
  const relay = await benchmarkRelay({ pool, natsUrl, events, batchSize: 1000 });
  const rawPublishEventsPerSecond = await rawPublishRate(natsUrl, events);
  return {
    events: relay.events,
    relayEventsPerSecond: relay.eventsPerSecond,
    rawPublishEventsPerSecond,
    ratio: relay.eventsPerSecond / rawPublishEventsPerSecond,
  };
}

async function rawPublishRate(natsUrl: string, count: number): Promise<number> {
  const id = randomBytes(4).toString('hex');
  const stream = `BENCHRAW_${id.toUpperCase()}`;
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  await ensureEventStream(jsm, { name: stream, subjects: [`raw${id}.>`], storage: 'file' });
  const js = jetstream(nc);
  // About the size of a relayed event envelope.
  const payload = new TextEncoder().encode(
    JSON.stringify({
      id: randomUUID(),
      type: 'ProgressNoted',
      streamId: `RehabCase-${randomUUID()}`,
      revision: '1',
      position: '123:456',
      created: new Date().toISOString(),
      data: { note: 'Tham gia sinh hoạt câu lạc bộ sau cai nghiện', week: 1, commune: '06793' },
      metadata: { actor: 'bench', agency: '22-REHAB_FACILITY-1', correlationId: randomUUID(), causationId: randomUUID(), commandId: randomUUID() },
    }),
  );
  try {
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        while (next < count) {
          const i = next++;
          const h = natsHeaders();
          h.set('Hd-Event-Type', 'ProgressNoted');
          await js.publish(`raw${id}.bench.RehabCase.ProgressNoted`, payload, { msgID: `${id}-${i}`, headers: h });
        }
      }),
    );
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
}
