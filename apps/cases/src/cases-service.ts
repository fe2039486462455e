import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@haidang/event-store';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createServiceApp, postgresReadiness, transportReadiness, type RateLimitOptions, type ReadinessIndicator, type ServiceApp } from '@haidang/http-platform';
import {
  EventRelay,
  InProcessRpcBroker,
  InProcessRpcServer,
  messagingMigrations,
  natsServerOptions,
  OutboxPublisher,
  PostgresDeadLetters,
  silentLogger as silentMessagingLogger,
  type EventBus,
  type MessagingLogger,
} from '@haidang/messaging';
import { loadPiiKeys, PersonalDataProtector, PersonalIdIndex, piiMigrations } from '@haidang/pii';
import { ProjectionHost, projectionEntities, projectionsMigrations } from '@haidang/projections';
import { CasesModule } from './cases.module';
import { casesIntegrationEventsProjection } from './integration/cases-integration-events.projection';
import { FacilityAdmissionProcessManager } from './integration/facility-admission.process-manager';
import { RehabCaseRepository } from './rehab-case/rehab-case.repository';
import { RequestFingerprint } from './request-fingerprint';
import { NameIndex } from './person/person-search-keys';
import { personsProjection } from './projections/persons/persons.projection';
import { rehabCasesProjection } from './projections/rehab-cases/rehab-cases.projection';

/** Every migration the service needs, in order. */
export const casesMigrations = [...eventStoreMigrations, ...messagingMigrations, ...piiMigrations, ...projectionsMigrations];
/** The aggregates whose streams this service owns: what its relay publishes as `evt.cases.<Aggregate>.<Type>`. */
export const CASES_AGGREGATES = ['Person', 'RehabCase'] as const;
export const casesProjections = [personsProjection, rehabCasesProjection, casesIntegrationEventsProjection];

export interface StartCasesOptions {
  readonly databaseUrl: string;
  /** 0 picks a free port; default PORT, else 3001. */
  readonly port?: number;
  readonly logLevel?: string;
  /** Request/reply over NATS at this URL; default NATS_URL. Without one (or with ''), the in-process transport. */
  readonly natsUrl?: string;
  /** The in-process broker other services of this process call through (default: a new one). */
  readonly rpcBroker?: InProcessRpcBroker;
  /** Tests only: a prefix of their own for the service's subjects (see casesRpcController). */
  readonly rpcSubjectPrefix?: string;
  /**
   * Where the service's relay publishes its committed events (JetStream, or the in-process bus of
   * `npm start`). Without one, no relay runs in this process (another replica's may).
   */
  readonly bus?: EventBus;
  /** Tests only: the relay's subject prefix (default `evt`). */
  readonly eventSubjectPrefix?: string;
  /** Tests only: the prefix of the integration subjects the service listens to (default `int`). */
  readonly integrationSubjectPrefix?: string;
  /** Per-principal request budget (default: http-platform's). The bench raises it to measure the service, not the limiter. */
  readonly rateLimit?: RateLimitOptions;
}

export interface CasesService {
  readonly url: string;
  readonly service: ServiceApp;
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly relay: EventRelay | undefined;
  /** Sends the integration events (`int.cases.*`) the projections wrote to the outbox; with the relay. */
  readonly outbox: OutboxPublisher | undefined;
  /** How `cases.*` requests reach this service; `broker` is set for the in-process transport. */
  readonly rpc: { readonly transport: 'nats' } | { readonly transport: 'in-process'; readonly broker: InProcessRpcBroker };
  stop(): Promise<void>;
}

/**
 * Starts the cases service in this process: migrations, the projections, then HTTP. The platform
 * launcher (`npm start`) calls it once per service; `main.ts` calls it for `npm run start:cases`.
 */
export async function startCasesService(options: StartCasesOptions): Promise<CasesService> {
  const messagingLogger = options.logLevel === 'silent' ? silentMessagingLogger : jsonMessagingLogger;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  pool.on('error', () => undefined); // an idle connection lost: the pool replaces it
  await runMigrations(pool, casesMigrations);
  const store = new PostgresEventStore({ pool });
  const keys = loadPiiKeys();
  const protector = new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys });
  const readModel = new DataSource({ type: 'postgres', url: options.databaseUrl, entities: projectionEntities(casesProjections), poolSize: 5, logging: false });
  await readModel.initialize();
  const host = new ProjectionHost({ dataSource: readModel, store, logger: silentLogger });
  await host.start(casesProjections);

  const natsUrl = options.natsUrl ?? process.env['NATS_URL'];
  const readiness: ReadinessIndicator[] = [postgresReadiness(pool)];
  // Readiness of the transport: a connection of its own, flushed (a round trip to the server) per probe.
  let probe: NatsConnection | undefined;
  if (natsUrl) {
    probe = await connect({ servers: natsUrl, name: 'cases-readiness', maxReconnectAttempts: -1 });
    const connection = probe;
    readiness.push(transportReadiness(() => connection.flush().then(() => true), { key: 'nats' }));
  }

  const service = await createServiceApp(
    CasesModule.forRoot({ store, protector, personalIdIndex: new PersonalIdIndex(keys.personalIdIndexKey), nameIndex: new NameIndex(keys.personalIdIndexKey), readModel, requestFingerprint: new RequestFingerprint(keys.personalIdIndexKey) }, options.rpcSubjectPrefix === undefined ? {} : { rpcSubjectPrefix: options.rpcSubjectPrefix }),
    {
      service: 'cases',
      readiness,
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    },
  );
  // One active relay per store (advisory lock); the others stand by. The filter matters only where
  // services share a database (the embedded default).
  const relay = options.bus
    ? new EventRelay({
        service: 'cases',
        aggregates: CASES_AGGREGATES,
        store,
        pool,
        bus: options.bus,
        registry: service.metricsRegistry,
        logger: messagingLogger,
        ...(options.eventSubjectPrefix === undefined ? {} : { subjectPrefix: options.eventSubjectPrefix }),
      })
    : undefined;
  relay?.start();
  const outbox = options.bus ? new OutboxPublisher({ pool, bus: options.bus, service: 'cases', registry: service.metricsRegistry, logger: messagingLogger }) : undefined;
  outbox?.start();
  // Integration events of other services this one acts on (a durable consumer each).
  const admissions = options.bus
    ? new FacilityAdmissionProcessManager({
        bus: options.bus,
        cases: service.app.get(RehabCaseRepository),
        deadLetters: new PostgresDeadLetters(pool),
        logger: messagingLogger,
        ...(options.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: options.integrationSubjectPrefix }),
      })
    : undefined;
  await admissions?.start();
  // inheritAppConfig: without it the global guards (auth, policy) would not run for message handlers.
  let rpc: CasesService['rpc'];
  if (natsUrl) {
    service.app.connectMicroservice(natsServerOptions({ servers: natsUrl, service: 'cases' }), { inheritAppConfig: true });
    rpc = { transport: 'nats' };
  } else {
    const broker = options.rpcBroker ?? new InProcessRpcBroker();
    service.app.connectMicroservice({ strategy: new InProcessRpcServer(broker) }, { inheritAppConfig: true });
    rpc = { transport: 'in-process', broker };
  }
  await service.app.startAllMicroservices();
  const url = await service.listen(options.port);
  return {
    url,
    service,
    store,
    pool,
    relay,
    outbox,
    rpc,
    async stop() {
      await admissions?.stop();
      await service.app.close();
      await outbox?.stop();
      await relay?.stop();
      await probe?.close();
      await host.stop();
      await readModel.destroy();
      protector.clearCache();
      await store.close();
      await pool.end();
    },
  };
}

/**
 * Relay, outbox and consumers report through this: warnings and errors as one JSON line on stderr
 * (their fields are ids, positions and error names, never payloads); progress notices are dropped.
 */
const jsonMessagingLogger: MessagingLogger = {
  info: () => undefined,
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', service: 'cases', msg: message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', service: 'cases', msg: message, ...fields })}\n`),
};

/** Projection progress is visible in metrics; the host's own messages carry no personal data but are noisy in tests. */
const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** How a rehab case's id follows from the registering agency and its Idempotency-Key (demo data uses it to find its marker case). */
export { caseIdFor } from './rehab-case/register-rehab-case/register-rehab-case.handler';
/** Likewise for a person. */
export { personIdFor } from './person/register-person/register-person.handler';
