import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { DurableConsumer, DurableConsumerOptions, EventBus, EventPublisher } from '../bus/event-bus';
import { consumeDurable } from './consume-durable';
import { DEFAULT_EVENT_STREAM, recreateEventStreamIfMissing, type EventStreamOptions } from './ensure-event-stream';
import { JetStreamPublisher } from './jetstream-publisher';

export interface JetStreamEventBusOptions {
  readonly servers: string | string[];
  /** Default `EVENTS`; create it with `ensureEventStream`. */
  readonly stream?: string;
  /** Credentials, TLS, name… (`servers` and the reconnect policy are set here). */
  readonly connectionOptions?: Omit<NodeConnectionOptions, 'servers' | 'reconnect'>;
  /** How long a publish batch may wait without an ack (default 5 s). */
  readonly ackTimeoutMs?: number;
  /** Publishes in flight per publishing session (default 1024). */
  readonly maxInFlight?: number;
  /**
   * How to recreate the stream when it is missing (its store lost): the stream's subjects and
   * storage. Default for the stream `EVENTS`: `ensureEventStream`'s defaults; a stream of another
   * name is only recreated when this is given. `false`: never recreate.
   */
  readonly recreate?: EventStreamOptions | false;
  /** Told when a stream or a durable consumer had to be recreated (logs, metrics). */
  readonly onRecreated?: (what: { readonly stream: string; readonly durable?: string }) => void;
}

/**
 * The event bus on NATS JetStream. Publishing sessions each get a connection that never
 * reconnects (see JetStreamPublisher); consumers share one connection that does.
 */
export class JetStreamEventBus implements EventBus {
  readonly persistent = true;
  readonly stream: string;
  private consumerConnection: Promise<NatsConnection> | undefined;
  private readonly consumers = new Set<DurableConsumer>();
  private readonly publishers = new Set<EventPublisher>();
  private readonly recreated = { stream: 0, consumer: 0 };

  constructor(private readonly options: JetStreamEventBusOptions) {
    this.stream = options.stream ?? DEFAULT_EVENT_STREAM;
  }

  async openPublisher(): Promise<EventPublisher> {
    const nc = await connect({
      ...this.options.connectionOptions,
      servers: this.options.servers,
      reconnect: false,
      name: this.options.connectionOptions?.name ?? 'haidang-relay',
    });
    try {
      // Every session, not only at boot: a broker whose store was lost comes back without the stream.
      await this.recreateStreamIfMissing(nc);
    } catch (error) {
      await nc.close();
      throw error;
    }
    const publisher = await JetStreamPublisher.open(nc, {
      stream: this.stream,
      ...(this.options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: this.options.ackTimeoutMs }),
      ...(this.options.maxInFlight === undefined ? {} : { maxInFlight: this.options.maxInFlight }),
    });
    this.publishers.add(publisher);
    void nc.closed().then(() => this.publishers.delete(publisher));
    return publisher;
  }

  async consume(options: DurableConsumerOptions): Promise<DurableConsumer> {
    let nc: NatsConnection;
    try {
      nc = await this.connection();
    } catch {
      // NATS not there (yet): the consumer starts when it is, so a service starts without it.
      const waiting = this.consumeWhenConnected(options);
      this.consumers.add(waiting);
      void waiting.stopped.then(() => this.consumers.delete(waiting));
      return waiting;
    }
    return this.consumeOn(nc, options);
  }

  private async consumeOn(nc: NatsConnection, options: DurableConsumerOptions): Promise<DurableConsumer> {
    const consumer = await consumeDurable({
      ...options,
      js: jetstream(nc),
      nc,
      stream: this.stream,
      beforeSession: () => this.recreateStreamIfMissing(nc),
      onConsumerRecreated: (durable: string) => {
        this.recreated.consumer++;
        this.options.onRecreated?.({ stream: this.stream, durable });
      },
    });
    this.consumers.add(consumer);
    void consumer.stopped.then(() => this.consumers.delete(consumer));
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.publishers].map((p) => p.close()));
    const connection = this.consumerConnection;
    this.consumerConnection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.close();
  }

  /** A consumer whose first session waits for NATS, trying a second apart; stop() ends the wait. */
  private consumeWhenConnected(options: DurableConsumerOptions): DurableConsumer {
    let stopping = false;
    let wake: (() => void) | undefined;
    let started: DurableConsumer | undefined;
    const run = (async () => {
      while (!stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stopping) return;
        try {
          started = await this.consumeOn(await this.connection(), options);
          if (stopping) await started.stop();
          return;
        } catch {
          // Still no NATS: try again.
        }
      }
    })();
    const stopped = run.then(() => started?.stopped);
    return {
      durable: options.durable,
      stopped: stopped.then(() => undefined),
      isLive: () => started?.isLive?.() ?? false,
      async stop() {
        stopping = true;
        wake?.();
        await run;
        await started?.stop();
      },
    };
  }

  private async recreateStreamIfMissing(nc: NatsConnection): Promise<void> {
    const recreate = this.options.recreate ?? (this.stream === DEFAULT_EVENT_STREAM ? {} : false);
    if (recreate === false) return;
    if (await recreateEventStreamIfMissing(await jetstreamManager(nc), { ...recreate, name: this.stream })) {
      this.recreated.stream++;
      this.options.onRecreated?.({ stream: this.stream });
    }
  }

  /** How many times a lost stream and lost durables were made again since this bus opened (a metric). */
  recreations(): { readonly stream: number; readonly consumer: number } {
    return { ...this.recreated };
  }

  /** Each durable this bus consumes, and whether a session of it is open now (readiness). */
  consumerHealth(): ReadonlyArray<{ readonly durable: string; readonly live: boolean }> {
    const live = new Map<string, boolean>();
    for (const consumer of this.consumers) live.set(consumer.durable, (live.get(consumer.durable) ?? false) || (consumer.isLive?.() ?? true));
    return [...live].map(([durable, isLive]) => ({ durable, live: isLive }));
  }

  private connection(): Promise<NatsConnection> {
    this.consumerConnection ??= connect({
      ...this.options.connectionOptions,
      servers: this.options.servers,
      maxReconnectAttempts: -1,
      name: this.options.connectionOptions?.name ?? 'haidang-consumer',
    }).catch((error: unknown) => {
      this.consumerConnection = undefined;
      throw error;
    });
    return this.consumerConnection;
  }
}
