import type { DynamicModule } from '@nestjs/common';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { Counter, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Clock } from '@haidang/decider';
import { eventStoreMigrations, type EventStore, type Migration, type PostgresEventStore } from '@haidang/event-store';
import { createServiceApp, postgresReadiness, type RateLimitOptions, type ServiceApp } from '@haidang/http-platform';
import {
  InProcessRpcBroker,
  InProcessRpcClient,
  InProcessRpcServer,
  messagingMigrations,
  natsClientOptions,
  natsServerOptions,
  PostgresDeadLetters,
  ServiceClient,
  type DeadLetterSink,
  type EventBus,
  type EventRelay,
  type MessagingLogger,
  type OutboxPublisher,
} from '@haidang/messaging';
import { piiMigrations, type PersonalDataProtector, type PiiKeys } from '@haidang/pii';
import { projectionsMigrations, type ProjectionDefinition } from '@haidang/projections';
import {
  messagingLoggerFor,
  messagingReadiness,
  type RpcServerStatus,
  natsReadiness,
  openServiceStorage,
  runServiceProcess,
  startEventPublishing,
} from '@haidang/service-runtime';
import { CommandPipeline } from './command-pipeline';
import type { DemoContext, DemoResult } from './demo';
import { RequestFingerprint } from './request-fingerprint';
import { platformRoutes } from './platform-routes';
import { integrityMigrations, reportReadBreaks } from '@haidang/integrity';

/** Every service's tables: the log, messaging (relay checkpoint, outbox, dead letters), personal-data keys, read models. */
export const PLATFORM_MIGRATIONS: readonly Migration[] = [
  ...eventStoreMigrations,
  ...messagingMigrations,
  ...piiMigrations,
  ...projectionsMigrations,
  ...integrityMigrations,
];

/** Something a service runs beside HTTP: a process manager's consumer, a deadline checker. */
export interface BackgroundWork {
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

/** What a service's module and background work are built from, made once at boot. */
export interface ServiceInfrastructure {
  readonly service: string;
  /** The event-store port (the PostgreSQL adapter by default). */
  readonly store: EventStore;
  readonly pool: Pool;
  readonly keys: PiiKeys;
  readonly protector: PersonalDataProtector;
  readonly readModel: DataSource;
  readonly fingerprint: RequestFingerprint;
  readonly clock: Clock;
  /** The one command path of the service. */
  readonly pipeline: CommandPipeline;
  /** Request/reply clients of the services this one calls (`calls`), by name. */
  readonly clients: Readonly<Record<string, ServiceClient>>;
  readonly settings: ServiceSettings;
}

/** What a background part gets besides the infrastructure: the bus (when one runs here), dead letters, logs, metrics. */
export interface BackgroundContext extends ServiceInfrastructure {
  readonly bus: EventBus | undefined;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  readonly app: ServiceApp;
}

/**
 * A service as a descriptor that `npm start`, `npm run start:<service>` and the generator all read
 * (`defineService`): its name and port, the aggregates it owns (what its relay publishes where
 * services share a database), its projections, its Nest module, the services it calls and whether
 * it answers calls, its process managers and other background work, and its demo data.
 */
export interface ServiceDefinition {
  readonly name: string;
  readonly port: number;
  readonly aggregates: readonly string[];
  readonly projections: readonly ProjectionDefinition[];
  /** Beyond PLATFORM_MIGRATIONS, in order. */
  readonly migrations?: readonly Migration[];
  module(infrastructure: ServiceInfrastructure): DynamicModule;
  /** Answers request/reply (`<name>.*` subjects) on NATS or the in-process broker. */
  readonly answersRequests?: boolean;
  /** Services it calls by request/reply (a client each in `infrastructure.clients`). */
  readonly calls?: readonly string[];
  /** Consumers of other services' integration events: run only where a bus is. */
  processManagers?(context: BackgroundContext): readonly BackgroundWork[];
  /** Work that runs in every instance (each may stand by behind a lock). */
  background?(context: BackgroundContext): readonly BackgroundWork[];
  /**
   * Reads and validates the service's own environment before anything opens (`npm run start:<name>`);
   * throws ConfigurationError. Default: PORT (else `port`) and DATABASE_URL only.
   */
  configure?(env: Readonly<Record<string, string | undefined>>): ServiceConfiguration;
  /** Demo data for `npm start` on the embedded default: loads it through the service's own API (see DemoContext). */
  demoData?(context: DemoContext): Promise<DemoResult>;
}

export function defineService(definition: ServiceDefinition): ServiceDefinition {
  return definition;
}

/** A service's configuration from its environment: its port and the settings only it reads. */
export interface ServiceConfiguration {
  readonly port: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** PORT (else the default) and DATABASE_URL, checked before anything starts: what every service reads. */
export function serviceConfigurationFromEnv(defaultPort: number, env: Readonly<Record<string, string | undefined>> = process.env): ServiceConfiguration {
  const rawPort = env['PORT']?.trim();
  const port = rawPort === undefined || rawPort === '' ? defaultPort : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigurationError('PORT must be an integer from 0 to 65535');
  const databaseUrl = env['DATABASE_URL']?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigurationError('DATABASE_URL must be a postgres:// URL');
  return { port };
}

/**
 * `npm run start:<service>`: one service, one process, from its descriptor. Configuration first (a
 * bad one stops there), then the database (DATABASE_URL, else the embedded default) and the bus
 * (NATS_URL, else in-process); SIGINT/SIGTERM stop everything in reverse order.
 */
export function runService(definition: ServiceDefinition): void {
  runServiceProcess(
    definition.name,
    () => (definition.configure ?? ((env) => serviceConfigurationFromEnv(definition.port, env)))(process.env),
    async (configuration, { databaseUrl, bus }) => {
      const running = await startService(definition, {
        databaseUrl,
        port: configuration.port,
        bus,
        ...(configuration.extra === undefined ? {} : { extra: configuration.extra }),
      });
      return { url: running.url, stop: () => running.stop() };
    },
  );
}

/** Settings a test or `npm start` gives one service; everything has a deployment default. */
export interface ServiceSettings {
  readonly databaseUrl: string;
  /** 0 picks a free port; default PORT, else the service's port. */
  readonly port?: number;
  readonly logLevel?: string;
  /** Request/reply over NATS at this URL; default NATS_URL. Without one (or with ''), the in-process broker. */
  readonly natsUrl?: string;
  /** The in-process broker services of this process answer and call on (default: a new one). */
  readonly rpcBroker?: InProcessRpcBroker;
  /** Where the relay publishes (JetStream, or the in-process bus of `npm start`); without one no relay runs here. */
  readonly bus?: EventBus;
  /** True where other services' streams share the database (`npm start`): the relay publishes only this service's aggregates. */
  readonly sharedDatabase?: boolean;
  readonly rateLimit?: RateLimitOptions;
  /**
   * Connections of the service's pool and of its read-model pool (default 10 and 5). The embedded
   * default is one backend behind a bounded number of connections, shared by every service of
   * `npm start`: it gives each less.
   */
  readonly poolSize?: number;
  readonly readModelPoolSize?: number;
  /** Default: the system clock. Tests set the time commands are decided at. */
  readonly clock?: Clock;
  /** How long a call to another service may take before the request is answered 503 (default 3 s). */
  readonly callTimeoutMs?: number;
  /** Tests only: prefixes of their own, so concurrent runs on one server never meet. */
  readonly eventSubjectPrefix?: string;
  readonly integrationSubjectPrefix?: string;
  readonly rpcSubjectPrefix?: string;
  /** Service-specific settings, read by the service's own descriptor. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly app: ServiceApp;
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly protector: PersonalDataProtector;
  readonly pipeline: CommandPipeline;
  readonly relay: EventRelay | undefined;
  readonly outbox: OutboxPublisher | undefined;
  readonly background: readonly BackgroundWork[];
  /** How requests reach this service; `broker` is set for the in-process transport. */
  readonly rpc: { readonly transport: 'nats' } | { readonly transport: 'in-process'; readonly broker: InProcessRpcBroker };
  stop(): Promise<void>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 3_000;

/**
 * Starts a service in this process, in the order every service needs: its database (migrations,
 * store, keys, read models and projections), its clients, HTTP, publishing (relay and outbox),
 * process managers and background work, request/reply, then listening. Stops in reverse.
 */
export async function startService(definition: ServiceDefinition, settings: ServiceSettings): Promise<RunningService> {
  const name = definition.name;
  const shutdownTiming = shutdownTimingFrom(process.env);
  const logLevel = settings.logLevel === undefined ? {} : { logLevel: settings.logLevel };
  const logger = messagingLoggerFor(name, settings.logLevel);
  // One registry for everything the service measures: /metrics serves it.
  const registry = new Registry();
  const storage = await openServiceStorage({
    registry,
    databaseUrl: settings.databaseUrl,
    migrations: [...PLATFORM_MIGRATIONS, ...(definition.migrations ?? [])],
    projections: definition.projections,
    service: name,
    ...logLevel,
    ...(settings.poolSize === undefined ? {} : { poolSize: settings.poolSize }),
    ...(settings.readModelPoolSize === undefined ? {} : { readModelPoolSize: settings.readModelPoolSize }),
  });
  const stops: Array<() => Promise<void>> = [() => storage.close()];
  // Set once the HTTP server exists: a stop first takes the service out of readiness and lets the
  // requests in progress finish, then stops consumers and the relay (after their current batch) and closes the rest.
  let drainHttp: (() => Promise<unknown>) | undefined;
  const stop = async (): Promise<void> => {
    const drain = drainHttp;
    drainHttp = undefined;
    if (drain) await drain();
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const { pool, store, keys, protector, readModel } = storage;
    // Aggregate loads verify their stream's chain; a refused read is a security event (issue 10 §3).
    reportReadBreaks(store, { service: name, registry, log: logger });
    const clock = settings.clock ?? (() => new Date());
    const fingerprint = new RequestFingerprint(keys.personalIdIndexKey, name);
    const pipeline = new CommandPipeline({ store, protector, fingerprint, clock });

    const natsUrl = settings.natsUrl ?? process.env['NATS_URL'];
    const nats = natsUrl ? await natsReadiness(natsUrl, name) : undefined;
    if (nats) stops.push(() => nats.close());
    // Fails readiness when NATS is up but a durable consumer or the request/reply server is not (issue 18).
    const messaging = nats ? messagingReadiness(() => nats.isConnected()) : undefined;
    const broker = natsUrl ? undefined : (settings.rpcBroker ?? new InProcessRpcBroker());
    const clients: Record<string, ServiceClient> = {};
    if ((definition.calls ?? []).length > 0) {
      let proxy: ClientProxy;
      // Connected on the first call (and again after a failed one): a service starts while NATS is down.
      if (natsUrl) proxy = ClientProxyFactory.create(natsClientOptions({ servers: natsUrl }));
      else proxy = new InProcessRpcClient(broker as InProcessRpcBroker);
      stops.push(() => proxy.close());
      for (const callee of definition.calls ?? [])
        clients[callee] = new ServiceClient(proxy, { service: callee, timeoutMs: settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
    }
    const infrastructure: ServiceInfrastructure = { service: name, store, pool, keys, protector, readModel, fingerprint, clock, pipeline, clients, settings };

    // The integrity check, signed checkpoints and break-glass routes every service has (issue 10 §3, §12).
    const platform = platformRoutes({ service: name, pool, store, clock, registry, log: logger, natsUrl });
    if (platform.channel) stops.push(() => (platform.channel as NonNullable<typeof platform.channel>).close());
    const app = await createServiceApp(platform.wrap(definition.module(infrastructure)), {
      service: name,
      readiness: [postgresReadiness(pool), ...(nats ? [nats.indicator] : []), ...(messaging ? [messaging] : [])],
      metricsRegistry: registry,
      ...logLevel,
      ...(settings.rateLimit === undefined ? {} : { rateLimit: settings.rateLimit }),
    });
    stops.push(() => app.app.close());
    drainHttp = async () => {
      // 'cut': requests still running after the grace period were ended without an answer.
      if ((await app.drain(shutdownTiming)) === 'cut') logger.warn('http requests in progress were cut at shutdown', { graceMs: shutdownTiming.graceMs });
    };
    const publishing = settings.bus
      ? startEventPublishing({
          service: name,
          ...(settings.sharedDatabase ? { aggregates: definition.aggregates } : {}),
          store,
          pool,
          bus: settings.bus,
          registry: app.metricsRegistry,
          logger,
          ...(settings.eventSubjectPrefix === undefined ? {} : { eventSubjectPrefix: settings.eventSubjectPrefix }),
        })
      : undefined;
    if (publishing) stops.push(() => publishing.stop());
    const context: BackgroundContext = { ...infrastructure, bus: settings.bus, deadLetters: new PostgresDeadLetters(pool), logger, app };
    const background = [
      ...(settings.bus && definition.processManagers ? definition.processManagers(context) : []),
      ...(definition.background?.(context) ?? []),
    ];
    platform.checkpointer.start();
    stops.push(() => platform.checkpointer.stop());
    for (const work of background) {
      await work.start();
      stops.push(() => work.stop());
    }
    const bus = settings.bus;
    if (bus?.consumerHealth) messaging?.attach({ consumers: () => bus.consumerHealth?.() ?? [] });
    if (bus?.recreations) registerRecreationsMetric(registry, () => bus.recreations?.() ?? { stream: 0, consumer: 0 });
    const rpc: RunningService['rpc'] = broker ? { transport: 'in-process', broker } : { transport: 'nats' };
    if (definition.answersRequests) {
      // inheritAppConfig: without it the global guards (auth, policy) would not run for message handlers.
      if (broker) {
        app.app.connectMicroservice({ strategy: new InProcessRpcServer(broker) }, { inheritAppConfig: true });
        await app.app.startAllMicroservices();
      } else {
        // Waits for NATS on its first connection, in the background: HTTP and appends do not wait for it.
        const server = app.app.connectMicroservice(natsServerOptions({ servers: natsUrl as string, service: name, waitOnFirstConnect: true }), {
          inheritAppConfig: true,
        });
        let rpcStatus: RpcServerStatus = 'not-started';
        const statusUpdates = server.status.subscribe((status) => (rpcStatus = status as RpcServerStatus));
        stops.push(async () => statusUpdates.unsubscribe());
        messaging?.attach({ rpc: () => rpcStatus });
        void app.app
          .startAllMicroservices()
          .catch((error: unknown) => logger.error('request/reply could not start', { error: error instanceof Error ? error.name : 'unknown' }));
      }
    }
    const url = await app.listen(settings.port);
    return { name, url, app, store, pool, protector, pipeline, relay: publishing?.relay, outbox: publishing?.outbox, background, rpc, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** `haidang_jetstream_recreated_total{resource}`: a lost JetStream store shows here (and in the logs). */
function registerRecreationsMetric(registry: Registry, read: () => { readonly stream: number; readonly consumer: number }): void {
  let reported = { stream: 0, consumer: 0 };
  new Counter({
    name: 'haidang_jetstream_recreated_total',
    help: 'JetStream streams and durable consumers found missing (a lost broker store) and made again',
    labelNames: ['resource'],
    registers: [registry],
    collect() {
      const now = read();
      if (now.stream > reported.stream) this.inc({ resource: 'stream' }, now.stream - reported.stream);
      if (now.consumer > reported.consumer) this.inc({ resource: 'consumer' }, now.consumer - reported.consumer);
      reported = { ...now };
    },
  });
}

/**
 * `SHUTDOWN_DELAY_MS` (default 0; 5000 under Kubernetes, deploy/): how long requests are still served
 * after readiness fails, while endpoints are updated. `SHUTDOWN_GRACE_MS` (default 20000): how long
 * requests in progress may take to finish after that; keep both under terminationGracePeriodSeconds.
 */
export function shutdownTimingFrom(env: NodeJS.ProcessEnv): { readonly delayMs: number; readonly graceMs: number } {
  const read = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 600_000)
      throw new ConfigurationError(`${name} must be a whole number of milliseconds between 0 and 600000`);
    return value;
  };
  return { delayMs: read('SHUTDOWN_DELAY_MS', 0), graceMs: read('SHUTDOWN_GRACE_MS', 20_000) };
}
