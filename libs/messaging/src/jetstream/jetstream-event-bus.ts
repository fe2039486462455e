import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { DurableConsumer, DurableConsumerOptions, EventBus, EventPublisher } from '../bus/event-bus';
import { consumeDurable } from './consume-durable';
import { DEFAULT_EVENT_STREAM } from './ensure-event-stream';
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
    const nc = await this.connection();
    const consumer = await consumeDurable({ ...options, js: jetstream(nc), nc, stream: this.stream });
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
