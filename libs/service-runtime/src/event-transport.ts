import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Registry } from 'prom-client';
import type { Pool } from 'pg';
import type { PostgresEventStore } from '@haidang/event-store';
import { transportReadiness, type ReadinessIndicator } from '@haidang/http-platform';
import {
  ensureEventStream,
  EventRelay,
  InProcessEventBus,
  JetStreamEventBus,
  OutboxPublisher,
  silentLogger,
  type EventBus,
  type MessagingLogger,
} from '@haidang/messaging';

/** JetStream when a NATS URL is given (the stream made if missing), else an in-process bus no other process sees. */
export async function openEventBus(natsUrl: string | undefined): Promise<EventBus> {
  if (!natsUrl) return new InProcessEventBus();
  const connection = await connect({ servers: natsUrl });
  try {
    await ensureEventStream(await jetstreamManager(connection));
  } finally {
    await connection.close();
  }
  return new JetStreamEventBus({
    servers: natsUrl,
    // A broker that lost its store: the stream and the durables are made again and re-filled (ADR 0001).
    onRecreated: (what) =>
      process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'JetStream resource was missing and has been recreated', ...what })}\n`),
  });
}

/**
 * The relay, outbox and consumers of a service report through this: warnings and errors as one JSON
 * line on stderr (their fields are ids, positions and error names, never payloads); progress
 * notices are dropped. `silent` drops everything (tests, benchmarks).
 */
export function messagingLoggerFor(service: string, logLevel: string | undefined): MessagingLogger {
  if (logLevel === 'silent') return silentLogger;
  const line = (level: 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ level, service, msg: message, ...fields })}\n`);
  return { info: () => undefined, warn: line('warn'), error: line('error') };
}

/** Readiness of NATS: a connection of its own, flushed (a round trip to the server) per probe. */
export async function natsReadiness(natsUrl: string, service: string): Promise<{ readonly indicator: ReadinessIndicator; close(): Promise<void> }> {
  const connection: NatsConnection = await connect({ servers: natsUrl, name: `${service}-readiness`, maxReconnectAttempts: -1 });
  return {
    indicator: transportReadiness(() => connection.flush().then(() => true), { key: 'nats' }),
    close: () => connection.close(),
  };
}

export interface EventPublishingOptions {
  readonly service: string;
  /**
   * Where services share a database (`npm start`): the aggregates whose streams this service
   * publishes. Absent (a service's own database), the relay publishes every committed event.
   */
  readonly aggregates?: readonly string[];
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly logger: MessagingLogger;
  /** Tests only: the relay's subject prefix (default `evt`). */
  readonly eventSubjectPrefix?: string;
}

/**
 * What a service publishes: its domain events (the relay, `evt.<service>.<Aggregate>.<Type>`) and its
 * integration events (the outbox, `int.<service>.<Event>.v<N>`). One of each is active per database
 * (advisory locks); the others stand by.
 */
export function startEventPublishing(options: EventPublishingOptions): { readonly relay: EventRelay; readonly outbox: OutboxPublisher; stop(): Promise<void> } {
  const relay = new EventRelay({
    service: options.service,
    ...(options.aggregates === undefined ? {} : { aggregates: options.aggregates }),
    store: options.store,
    pool: options.pool,
    bus: options.bus,
    registry: options.registry,
    logger: options.logger,
    ...(options.eventSubjectPrefix === undefined ? {} : { subjectPrefix: options.eventSubjectPrefix }),
  });
  const outbox = new OutboxPublisher({ pool: options.pool, bus: options.bus, service: options.service, registry: options.registry, logger: options.logger });
  relay.start();
  outbox.start();
  return {
    relay,
    outbox,
    async stop() {
      await outbox.stop();
      await relay.stop();
    },
  };
}
