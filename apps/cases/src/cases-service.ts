import type { Pool } from 'pg';
import { eventStoreMigrations, type PostgresEventStore } from '@haidang/event-store';
import { createServiceApp, postgresReadiness, type RateLimitOptions, type ServiceApp } from '@haidang/http-platform';
import {
  InProcessRpcBroker,
  InProcessRpcServer,
  messagingMigrations,
  natsServerOptions,
  PostgresDeadLetters,
  type EventBus,
  type EventRelay,
  type OutboxPublisher,
} from '@haidang/messaging';
import { PersonalIdIndex, piiMigrations } from '@haidang/pii';
import { projectionsMigrations } from '@haidang/projections';
import { messagingLoggerFor, natsReadiness, openServiceStorage, startEventPublishing } from '@haidang/service-runtime';
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
/**
 * The aggregates whose streams this service writes: what its relay publishes as
 * `evt.cases.<Aggregate>.<Type>` where services share a database. The access log and break-glass
 * streams (libs/audit) are the cases service's there: it is the one that reveals persons.
 */
export const CASES_AGGREGATES = ['Person', 'RehabCase', 'AccessLog', 'BreakGlass'] as const;
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
  /**
   * True where other services' streams are in the same database (`npm start`): the relay then
   * publishes only this service's aggregates (CASES_AGGREGATES). A service on its own database publishes
   * every event it commits (its audit streams included).
   */
  readonly sharedDatabase?: boolean;
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
  const messagingLogger = messagingLoggerFor('cases', options.logLevel);
  const storage = await openServiceStorage({ databaseUrl: options.databaseUrl, migrations: casesMigrations, projections: casesProjections, service: 'cases', ...logLevelOf(options) });
  const { pool, store, keys, protector, readModel } = storage;

  const natsUrl = options.natsUrl ?? process.env['NATS_URL'];
  const nats = natsUrl ? await natsReadiness(natsUrl, 'cases') : undefined;
  const service = await createServiceApp(
    CasesModule.forRoot(
      {
        store,
        protector,
        personalIdIndex: new PersonalIdIndex(keys.personalIdIndexKey),
        nameIndex: new NameIndex(keys.personalIdIndexKey),
        readModel,
        requestFingerprint: new RequestFingerprint(keys.personalIdIndexKey),
      },
      options.rpcSubjectPrefix === undefined ? {} : { rpcSubjectPrefix: options.rpcSubjectPrefix },
    ),
    {
      service: 'cases',
      readiness: [postgresReadiness(pool), ...(nats ? [nats.indicator] : [])],
      ...logLevelOf(options),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    },
  );
  const publishing = options.bus
    ? startEventPublishing({
        service: 'cases',
        ...(options.sharedDatabase ? { aggregates: CASES_AGGREGATES } : {}),
        store,
        pool,
        bus: options.bus,
        registry: service.metricsRegistry,
        logger: messagingLogger,
        ...(options.eventSubjectPrefix === undefined ? {} : { eventSubjectPrefix: options.eventSubjectPrefix }),
      })
    : undefined;
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
    relay: publishing?.relay,
    outbox: publishing?.outbox,
    rpc,
    async stop() {
      await admissions?.stop();
      await service.app.close();
      await publishing?.stop();
      await nats?.close();
      await storage.close();
    },
  };
}

const logLevelOf = (options: { readonly logLevel?: string }): { logLevel?: string } => (options.logLevel === undefined ? {} : { logLevel: options.logLevel });

/** How a rehab case's id follows from the registering agency and its Idempotency-Key (demo data uses it to find its marker case). */
export { caseIdFor } from './rehab-case/register-rehab-case/register-rehab-case.handler';
/** Likewise for a person. */
export { personIdFor } from './person/register-person/register-person.handler';
