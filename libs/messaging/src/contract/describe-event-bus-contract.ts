import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@haidang/event-store';
import type { DeliveryInfo, DurableConsumer, DurableConsumerOptions, EventBus, OutgoingMessage } from '../bus/event-bus';
import { UnprocessableMessageError } from '../bus/process-delivery';
import { InMemoryDeadLetters, type DeadLetter, type DeadLetterSink } from '../dead-letters';
import { encodeEvent, EventHeaders, eventHeaders } from '../event-codec';
import { silentLogger } from '../logger';
import { subjectForEvent } from '../subjects';

/** What one contract test gets: a bus over a stream of its own that captures `<subjectPrefix>.>`. */
export interface EventBusFixture {
  readonly bus: EventBus;
  readonly subjectPrefix: string;
  /** Core subscription (not stored), to see `dlq.<durable>` notices. */
  subscribeCore(subject: string, listener: (subject: string, headers: Readonly<Record<string, string>>) => void): Promise<() => Promise<void>>;
  cleanup(): Promise<void>;
}

export type EventBusContractFactory = () => Promise<EventBusFixture>;

interface Received {
  readonly event: RecordedEvent;
  readonly delivery: DeliveryInfo;
  readonly at: number;
}

async function eventually(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let counter = 0;
function makeEvent(type = 'RehabStarted', aggregate = 'RehabCase'): RecordedEvent {
  counter++;
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: `${aggregate}-${randomUUID()}`,
    revision: 0n,
    position: { commit: 1000n + BigInt(counter), prepare: BigInt(counter) },
    created: new Date(),
    data: { n: counter },
    metadata: { correlationId: `corr-${counter}`, actor: 'user-1', agency: '22-DOLISA' },
  };
}

/**
 * The behaviour every EventBus implementation must have: JetStream runs it against a real
 * nats-server, the in-process bus in memory.
 */
export function describeEventBusContract(name: string, factory: EventBusContractFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    let fixture: EventBusFixture;
    const consumers: DurableConsumer[] = [];

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await fixture.cleanup();
    });

    const message = (event: RecordedEvent, service = 'cases'): OutgoingMessage => ({
      subject: subjectForEvent(service, event, { prefix: fixture.subjectPrefix }),
      data: encodeEvent(event),
      msgId: event.id,
      headers: eventHeaders(event),
    });

    async function publish(events: readonly RecordedEvent[], service = 'cases'): Promise<number[]> {
      const publisher = await fixture.bus.openPublisher();
      try {
        return (await publisher.publishBatch(events.map((e) => message(e, service)))).map((ack) => ack.seq);
      } finally {
        await publisher.close();
      }
    }

    async function consume(options: Partial<DurableConsumerOptions> & { handler: DurableConsumerOptions['handler'] }): Promise<DurableConsumer> {
      const consumer = await fixture.bus.consume({
        durable: `d${randomUUID().slice(0, 8)}`,
        filterSubjects: [`${fixture.subjectPrefix}.>`],
        deadLetters: new InMemoryDeadLetters(),
        backoffMs: [150, 300],
        maxDeliver: 3,
        logger: silentLogger,
        ...options,
      });
      consumers.push(consumer);
      return consumer;
    }

    it('stores a batch in order with increasing sequences, readable by sequence and by subject', async () => {
      const events = [makeEvent('PersonRegistered', 'Person'), makeEvent('RehabStarted'), makeEvent('RehabCompleted')];
      const seqs = await publish(events);
      expect(seqs).toHaveLength(3);
      expect(seqs[1]).toBe((seqs[0] as number) + 1);
      expect(seqs[2]).toBe((seqs[1] as number) + 1);

      const publisher = await fixture.bus.openPublisher();
      try {
        const state = await publisher.streamState();
        expect(state.lastSeq).toBe(seqs[2]);
        expect(state.messages).toBe(3);
        const second = await publisher.getMessage(seqs[1] as number);
        expect(second?.subject).toBe(`${fixture.subjectPrefix}.cases.RehabCase.RehabStarted`);
        expect(second?.headers[EventHeaders.MsgId]).toBe(events[1]?.id);
        expect(second?.headers[EventHeaders.Position]).toBe(`${events[1]?.position.commit}:${events[1]?.position.prepare}`);
        const lastPerson = await publisher.lastMessage(`${fixture.subjectPrefix}.cases.Person.>`);
        expect(lastPerson?.seq).toBe(seqs[0]);
        const newest = await publisher.lastMessage(`${fixture.subjectPrefix}.cases.>`);
        expect(newest?.seq).toBe(seqs[2]);
        expect(await publisher.lastMessage(`${fixture.subjectPrefix}.referrals.>`)).toBeNull();
        expect(await publisher.getMessage(999_999)).toBeNull();
      } finally {
        await publisher.close();
      }
    });

    it('drops a re-sent message id and answers with the original sequence', async () => {
      const [a, b] = [makeEvent(), makeEvent()];
      const publisher = await fixture.bus.openPublisher();
      try {
        const first = await publisher.publishBatch([message(a as RecordedEvent), message(b as RecordedEvent)]);
        const again = await publisher.publishBatch([message(a as RecordedEvent), message(b as RecordedEvent), message(makeEvent())]);
        expect(again[0]).toEqual({ seq: first[0]?.seq, duplicate: true });
        expect(again[1]).toEqual({ seq: first[1]?.seq, duplicate: true });
        expect(again[2]?.duplicate).toBe(false);
        expect((await publisher.streamState()).messages).toBe(3);
      } finally {
        await publisher.close();
      }
    });

    it('refuses to publish on a closed session', async () => {
      const publisher = await fixture.bus.openPublisher();
      await publisher.close();
      expect(publisher.isClosed).toBe(true);
      await expect(publisher.publishBatch([message(makeEvent())])).rejects.toThrow();
    });

    it('delivers the decoded events in stream order, only those the filter selects', async () => {
      const events = [makeEvent(), makeEvent('PersonRegistered', 'Person'), makeEvent(), makeEvent('RehabCompleted')];
      const seqs = await publish(events);
      await publish([makeEvent('ReferralCreated', 'Referral')], 'referrals');
      const received: Received[] = [];
      await consume({
        filterSubjects: [`${fixture.subjectPrefix}.cases.>`],
        handler: (event, delivery) => {
          received.push({ event, delivery, at: Date.now() });
        },
      });
      await eventually(() => received.length >= 4, '4 deliveries');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.map((r) => r.event)).toEqual(events);
      expect(received.map((r) => r.delivery.streamSequence)).toEqual(seqs);
      const first = received[0] as Received;
      expect(first.delivery.deliveryCount).toBe(1);
      expect(first.delivery.redelivered).toBe(false);
      expect(first.delivery.subject).toBe(`${fixture.subjectPrefix}.cases.RehabCase.RehabStarted`);
      expect(first.delivery.stream).toBe(fixture.bus.stream);
      expect(first.delivery.headers[EventHeaders.CorrelationId]).toBe(events[0]?.metadata.correlationId);
      expect(typeof first.event.revision).toBe('bigint');
      expect(first.event.created).toBeInstanceOf(Date);
    });

    it('keeps a durable position across consumer restarts', async () => {
      const durable = `keep${randomUUID().slice(0, 8)}`;
      const before = [makeEvent(), makeEvent()];
      await publish(before);
      const firstRun: RecordedEvent[] = [];
      const consumer = await consume({ durable, handler: (event) => void firstRun.push(event) });
      await eventually(() => firstRun.length === 2, 'first run');
      await consumer.stop();

      const after = [makeEvent(), makeEvent()];
      await publish(after);
      const secondRun: RecordedEvent[] = [];
      await consume({ durable, handler: (event) => void secondRun.push(event) });
      await eventually(() => secondRun.length >= 2, 'second run');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(secondRun).toEqual(after);
    });

    it('redelivers a failing message with back-off, dead-letters it after maxDeliver, and goes on', async () => {
      const [poison, next1, next2] = [makeEvent('Poison'), makeEvent(), makeEvent()];
      const seqs = await publish([poison as RecordedEvent, next1 as RecordedEvent, next2 as RecordedEvent]);
      const durable = `dl${randomUUID().slice(0, 8)}`;
      const notices: Array<Readonly<Record<string, string>>> = [];
      const unsubscribe = await fixture.subscribeCore(`dlq.${durable}`, (_subject, headers) => notices.push(headers));
      try {
        const deadLetters = new InMemoryDeadLetters();
        const attempts: Received[] = [];
        const processed: RecordedEvent[] = [];
        const calls: string[] = [];
        await consume({
          durable,
          deadLetters,
          maxDeliver: 3,
          backoffMs: [200, 400],
          handler: (event, delivery) => {
            calls.push(event.id);
            if (event.type === 'Poison') {
              attempts.push({ event, delivery, at: Date.now() });
              throw new Error(`cannot apply\nattempt ${delivery.deliveryCount}`);
            }
            processed.push(event);
          },
        });
        await eventually(() => deadLetters.entries.length === 1 && processed.length === 2, 'dead letter and the later messages');

        expect(attempts.map((a) => a.delivery.deliveryCount)).toEqual([1, 2, 3]);
        expect(attempts.map((a) => a.delivery.redelivered)).toEqual([false, true, true]);
        // The broker may redeliver later than asked, never sooner.
        expect((attempts[1] as Received).at - (attempts[0] as Received).at).toBeGreaterThanOrEqual(150);
        expect((attempts[2] as Received).at - (attempts[1] as Received).at).toBeGreaterThanOrEqual(300);
        // maxAckPending 1 (the default): the later messages waited for the poison to be settled.
        expect(processed).toEqual([next1, next2]);
        expect(calls).toEqual([poison?.id, poison?.id, poison?.id, next1?.id, next2?.id]);

        const letter = deadLetters.entries[0] as DeadLetter;
        expect(letter).toMatchObject({
          consumer: durable,
          stream: fixture.bus.stream,
          streamSequence: seqs[0],
          subject: `${fixture.subjectPrefix}.cases.RehabCase.Poison`,
          msgId: poison?.id,
          attempts: 3,
        });
        expect(letter.error).toContain('cannot apply');
        expect(new TextDecoder().decode(letter.payload)).toContain(poison?.id);

        await eventually(() => notices.length === 1, 'dlq notice');
        expect(notices[0]?.['Hd-Dlq-Attempts']).toBe('3');
        expect(notices[0]?.['Hd-Dlq-Error']).toContain('cannot apply attempt 3');
        expect(attempts).toHaveLength(3); // terminated: never delivered again
      } finally {
        await unsubscribe();
      }
    });

    it('dead-letters at once a message the handler declares unprocessable, and goes on', async () => {
      const [refused, next] = [makeEvent('Refused'), makeEvent()];
      await publish([refused as RecordedEvent, next as RecordedEvent]);
      const deadLetters = new InMemoryDeadLetters();
      const calls: string[] = [];
      await consume({
        durable: `un${randomUUID().slice(0, 8)}`,
        deadLetters,
        maxDeliver: 5,
        backoffMs: [60_000],
        handler: (event) => {
          calls.push(event.id);
          if (event.type === 'Refused') throw new UnprocessableMessageError('a rule refuses it');
        },
      });
      await eventually(() => deadLetters.entries.length === 1 && calls.length === 2, 'dead letter without back-off');
      expect(calls).toEqual([refused?.id, next?.id]);
      expect(deadLetters.entries[0]).toMatchObject({ attempts: 1, msgId: refused?.id });
      expect(deadLetters.entries[0]?.error).toContain('a rule refuses it');
    });

    it('with a wider ack window, later messages pass a message that is being retried', async () => {
      const [poison, next] = [makeEvent('Poison'), makeEvent()];
      await publish([poison as RecordedEvent, next as RecordedEvent]);
      const order: string[] = [];
      const deadLetters = new InMemoryDeadLetters();
      await consume({
        maxAckPending: 10,
        maxDeliver: 2,
        backoffMs: [300],
        deadLetters,
        handler: (event) => {
          order.push(event.type);
          if (event.type === 'Poison') throw new Error('no');
        },
      });
      await eventually(() => deadLetters.entries.length === 1, 'dead letter');
      expect(order).toEqual(['Poison', 'RehabStarted', 'Poison']);
    });

    it('dead-letters a payload that is not an event at once', async () => {
      const publisher = await fixture.bus.openPublisher();
      try {
        await publisher.publishBatch([
          { subject: `${fixture.subjectPrefix}.cases.RehabCase.Garbage`, data: new TextEncoder().encode('{not json'), msgId: randomUUID(), headers: {} },
        ]);
      } finally {
        await publisher.close();
      }
      const good = makeEvent();
      await publish([good]);
      const deadLetters = new InMemoryDeadLetters();
      const processed: RecordedEvent[] = [];
      await consume({ deadLetters, handler: (event) => void processed.push(event) });
      await eventually(() => deadLetters.entries.length === 1 && processed.length === 1, 'garbage dead-lettered, event processed');
      expect(deadLetters.entries[0]?.attempts).toBe(1);
      expect(deadLetters.entries[0]?.error).toContain('EventDecodeError');
      expect(processed).toEqual([good]);
    });

    it('never drops a message whose dead letter cannot be recorded', async () => {
      const poison = makeEvent('Poison');
      await publish([poison]);
      let sinkWorks = false;
      const recorded: DeadLetter[] = [];
      const flakySink: DeadLetterSink = {
        async record(letter) {
          if (!sinkWorks) throw new Error('database down');
          recorded.push(letter);
        },
      };
      let attempts = 0;
      await consume({
        deadLetters: flakySink,
        maxDeliver: 1,
        backoffMs: [100],
        handler: () => {
          attempts++;
          throw new Error('always fails');
        },
      });
      await eventually(() => attempts >= 3, 'redeliveries while the sink is down');
      sinkWorks = true;
      await eventually(() => recorded.length === 1, 'dead letter recorded once the sink works');
      expect(recorded[0]?.msgId).toBe(poison.id);
    });

    it('stop() lets the handler in progress finish and acknowledges it', async () => {
      const durable = `stop${randomUUID().slice(0, 8)}`;
      const event = makeEvent();
      await publish([event]);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = false;
      let finished = false;
      const consumer = await consume({
        durable,
        handler: async () => {
          started = true;
          await gate;
          finished = true;
        },
      });
      await eventually(() => started, 'handler started');
      const stopping = consumer.stop();
      setTimeout(release, 100);
      await stopping;
      expect(finished).toBe(true);

      const again: RecordedEvent[] = [];
      await consume({ durable, handler: (e) => void again.push(e) });
      const later = makeEvent();
      await publish([later]);
      await eventually(() => again.length >= 1, 'the next event');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(again).toEqual([later]);
    });
  });
}
