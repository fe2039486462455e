import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@haidang/event-store';
import type { DurableConsumer, OutgoingMessage } from '../bus/event-bus';
import { describeEventBusContract } from '../contract/describe-event-bus-contract';
import { InMemoryDeadLetters } from '../dead-letters';
import { encodeEvent, eventHeaders } from '../event-codec';
import { silentLogger } from '../logger';
import { InProcessEventBus } from './in-process-event-bus';

describeEventBusContract('in-process', async () => {
  const bus = new InProcessEventBus({ stream: 'EVENTS' });
  return {
    bus,
    subjectPrefix: 'evt',
    async subscribeCore(subject, listener) {
      const unsubscribe = bus.subscribe(subject, (s, _data, headers) => listener(s, headers));
      return async () => void unsubscribe();
    },
    cleanup: () => bus.close(),
  };
});

describe('in-process bus retention: the stream lives in memory, so delivered messages do not stay for ever', () => {
  const ms = (minutes: number): number => minutes * 60_000;
  let clock = 0;
  let seqNo = 0;
  const message = (subject: string): OutgoingMessage => {
    const event: RecordedEvent = {
      id: randomUUID(),
      type: 'Noted',
      schemaVersion: 1,
      streamId: `Thing-${randomUUID()}`,
      revision: 0n,
      position: { commit: BigInt(++seqNo), prepare: BigInt(seqNo) },
      created: new Date(0),
      data: { n: seqNo },
      metadata: {},
    };
    return { subject, data: encodeEvent(event), msgId: event.id, headers: eventHeaders(event) };
  };
  const publish = async (bus: InProcessEventBus, count: number, subject = 'evt.cases.Thing.Noted'): Promise<void> => {
    const publisher = await bus.openPublisher();
    await publisher.publishBatch(Array.from({ length: count }, () => message(subject)));
  };
  const consumeAll = async (bus: InProcessEventBus, durable: string, filter: string, expected: number): Promise<DurableConsumer> => {
    let seen = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const consumer = await bus.consume({
      durable,
      filterSubjects: [filter],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: () => {
        if (++seen === expected) done();
      },
    });
    await all;
    return consumer;
  };

  beforeEach(() => {
    clock = 0;
  });

  it('drops what every durable has acknowledged once it is older than the retention, and keeps the rest', async () => {
    const bus = new InProcessEventBus({ now: () => clock, retentionMs: ms(5) });
    await publish(bus, 1_000);
    const reader = await consumeAll(bus, 'reader', 'evt.cases.>', 1_000);
    // A durable whose filter matches none of them has no claim on them.
    const other = await bus.consume({
      durable: 'other',
      filterSubjects: ['evt.referrals.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: () => undefined,
    });
    await new Promise((resolve) => setImmediate(resolve));
    clock = ms(6);
    await publish(bus, 256);
    expect(bus.state()).toEqual({ firstSeq: 1_001, lastSeq: 1_256, messages: 256 });
    await Promise.all([reader.stop(), other.stop()]);
    await bus.close();
  });

  it('keeps messages a durable has not acknowledged, however old, and young messages with no durable at all', async () => {
    const bus = new InProcessEventBus({ now: () => clock, retentionMs: ms(5) });
    await publish(bus, 300);
    const consumer = await consumeAll(bus, 'slow', 'evt.cases.>', 300);
    await consumer.stop();
    clock = ms(10);
    await publish(bus, 300); // the stopped durable has not been given these
    clock = ms(20);
    await publish(bus, 300);
    expect(bus.state()).toMatchObject({ firstSeq: 301, messages: 600 });

    const young = new InProcessEventBus({ now: () => clock, retentionMs: ms(5) });
    await publish(young, 600);
    expect(young.state().messages).toBe(600);
    await Promise.all([bus.close(), young.close()]);
  });
});
