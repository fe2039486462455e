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
  // Brings the stream's settings up to date when NATS is there; when it is not, the service starts
  // anyway (ADR 0001: NATS down never fails a command) and the bus creates the stream on its first session.
  try {
    const connection = await connect({ servers: natsUrl, reconnect: false, timeout: 2_000 });
    try {
      await ensureEventStream(await jetstreamManager(connection));
    } finally {
      await connection.close();
    }
  } catch {
    process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'NATS is not reachable at start; publishing and consuming begin when it is' })}\n`);
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

/**
 * Readiness of NATS: a connection of its own, flushed (a round trip to the server) per probe. It is
 * opened in the background, a second apart until NATS answers, so a service starts while NATS is
 * down (and says so in its readiness).
 */
export async function natsReadiness(
  natsUrl: string,
  service: string,
): Promise<{ readonly indicator: ReadinessIndicator; isConnected(): Promise<boolean>; close(): Promise<void> }> {
  let connection: NatsConnection | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = (): Promise<void> =>
    connect({ servers: natsUrl, name: `${service}-readiness`, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 }).then(
      (opened) => {
        if (closed) void opened.close();
        else connection = opened;
      },
      () => {
        if (!closed) retry = setTimeout(() => void open(), 1_000);
      },
    );
  // The first attempt is awaited (refused at once when NATS is down); later ones run in the background.
  await open();
  const isConnected = (): Promise<boolean> => (connection === undefined ? Promise.resolve(false) : connection.flush().then(() => true));
  return {
    isConnected,
    // Not required: commands need only the database (ADR 0001); NATS shows in the details and haidang_dependency_up.
    indicator: transportReadiness(isConnected, {
      key: 'nats',
      required: false,
    }),
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      await connection?.close();
    },
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
