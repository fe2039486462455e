import type { Pool } from 'pg';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { eventStoreMigrations, type PostgresEventStore } from '@haidang/event-store';
import { createServiceApp, postgresReadiness, type RateLimitOptions, type ServiceApp } from '@haidang/http-platform';
import {
  InProcessRpcBroker,
  InProcessRpcClient,
  messagingMigrations,
  natsClientOptions,
  PostgresDeadLetters,
  ServiceClient,
  type EventBus,
  type EventRelay,
  type OutboxPublisher,
} from '@haidang/messaging';
import { type PersonalDataProtector, piiMigrations } from '@haidang/pii';
import { projectionsMigrations } from '@haidang/projections';
import { messagingLoggerFor, natsReadiness, openServiceStorage, startEventPublishing } from '@haidang/service-runtime';
import { OverdueChecker } from './overdue/overdue-checker';
import { CasesEventsProcessManagers } from './integration/cases-events.process-managers';
import { referralsIntegrationEventsProjection } from './integration/referrals-integration-events.projection';
import { referralsProjection } from './projections/referrals/referrals.projection';
import { REFERRAL_AGGREGATE, ReferralRepository } from './referral/referral.repository';
import { ReferralsModule } from './referrals.module';
import { RequestFingerprint } from './request-fingerprint';

/**
 * Every migration the service needs, in order. `piiMigrations` gives the service its own key table
 * in its own database: a referral's free text is encrypted with a key of this service's, so
 * erasing a person here (on cases' erasure, see README) shreds it.
 */
export const referralsMigrations = [...eventStoreMigrations, ...messagingMigrations, ...piiMigrations, ...projectionsMigrations];
/** The aggregates whose streams this service owns: what its relay publishes as `evt.referrals.<Aggregate>.<Type>`. */
export const REFERRALS_AGGREGATES = [REFERRAL_AGGREGATE] as const;
export const referralsProjections = [referralsProjection, referralsIntegrationEventsProjection];
/** How long a call to the cases service may take before the request is answered 503. */
export const DEFAULT_CASES_TIMEOUT_MS = 3_000;

export interface StartReferralsOptions {
  readonly databaseUrl: string;
  /** 0 picks a free port; default PORT, else 3002. */
  readonly port?: number;
  readonly logLevel?: string;
  /** Calls to cases over NATS at this URL; default NATS_URL. Without one (or with ''), the in-process transport. */
  readonly natsUrl?: string;
  /** The in-process broker the cases service of this process listens on (default: a new one, where nobody answers). */
  readonly rpcBroker?: InProcessRpcBroker;
  /** Tests only: the prefix the cases service's subjects carry (its `rpcSubjectPrefix`). */
  readonly casesSubjectPrefix?: string;
  /** Default 3 s. */
  readonly casesTimeoutMs?: number;
  /**
   * Where the service's relay publishes its committed events (JetStream, or the in-process bus of
   * `npm start`). Without one, no relay runs in this process (another replica's may).
   */
  readonly bus?: EventBus;
  /** Tests only: the relay's subject prefix (default `evt`). */
  readonly eventSubjectPrefix?: string;
  /**
   * True where other services' streams are in the same database (`npm start`): the relay then
   * publishes only this service's aggregates (REFERRALS_AGGREGATES). A service on its own database publishes
   * every event it commits (its audit streams included).
   */
  readonly sharedDatabase?: boolean;
  /** Tests only: the prefix of the integration subjects the service listens to (default `int`). */
  readonly integrationSubjectPrefix?: string;
  /** Per-principal request budget (default: http-platform's). */
  readonly rateLimit?: RateLimitOptions;
  /** Between rounds of the referral deadline checker (default 60 s; one active instance per database). */
  readonly overdueCheckIntervalMs?: number;
  /** Tests only: the time the deadline checker believes it is (default the system clock). */
  readonly clock?: () => Date;
  /** Tests only: the time HTTP commands are decided at (default the system clock). */
  readonly requestClock?: () => Date;
}

export interface ReferralsService {
  readonly url: string;
  readonly service: ServiceApp;
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly protector: PersonalDataProtector;
  readonly relay: EventRelay | undefined;
  /** Sends the integration events (`int.referrals.*`) the projections wrote to the outbox; with the relay. */
  readonly outbox: OutboxPublisher | undefined;
  readonly overdueChecker: OverdueChecker;
  stop(): Promise<void>;
}

/**
 * Starts the referrals service in this process: migrations, the projection, the client of the
 * cases service, then HTTP. The platform launcher (`npm start`) calls it once per service;
 * `main.ts` calls it for `npm run start:referrals`.
 */
export async function startReferralsService(options: StartReferralsOptions): Promise<ReferralsService> {
  const messagingLogger = messagingLoggerFor('referrals', options.logLevel);
  const storage = await openServiceStorage({
    databaseUrl: options.databaseUrl,
    migrations: referralsMigrations,
    projections: referralsProjections,
    service: 'referrals',
    ...logLevelOf(options),
  });
  const { pool, store, keys, protector, readModel } = storage;

  const natsUrl = options.natsUrl ?? process.env['NATS_URL'];
  const nats = natsUrl ? await natsReadiness(natsUrl, 'referrals') : undefined;
  let proxy: ClientProxy;
  if (natsUrl) {
    proxy = ClientProxyFactory.create(natsClientOptions({ servers: natsUrl }));
    await proxy.connect();
  } else {
    proxy = new InProcessRpcClient(options.rpcBroker ?? new InProcessRpcBroker());
  }
  const cases = new ServiceClient(proxy, { service: 'cases', timeoutMs: options.casesTimeoutMs ?? DEFAULT_CASES_TIMEOUT_MS });

  const service = await createServiceApp(
    ReferralsModule.forRoot(
      { store, protector, readModel, requestFingerprint: new RequestFingerprint(keys.personalIdIndexKey), cases, ...(options.requestClock === undefined ? {} : { clock: options.requestClock }) },
      options.casesSubjectPrefix === undefined ? {} : { casesSubjectPrefix: options.casesSubjectPrefix },
    ),
    {
      service: 'referrals',
      readiness: [postgresReadiness(pool), ...(nats ? [nats.indicator] : [])],
      ...logLevelOf(options),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    },
  );
  const publishing = options.bus
    ? startEventPublishing({
        service: 'referrals',
        ...(options.sharedDatabase ? { aggregates: REFERRALS_AGGREGATES } : {}),
        store,
        pool,
        bus: options.bus,
        registry: service.metricsRegistry,
        logger: messagingLogger,
        ...(options.eventSubjectPrefix === undefined ? {} : { eventSubjectPrefix: options.eventSubjectPrefix }),
      })
    : undefined;
  // The cases service's integration events this one acts on (a durable consumer each).
  const processManagers = options.bus
    ? new CasesEventsProcessManagers({
        bus: options.bus,
        referrals: service.app.get(ReferralRepository),
        protector,
        deadLetters: new PostgresDeadLetters(pool),
        logger: messagingLogger,
        ...(options.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: options.integrationSubjectPrefix }),
      })
    : undefined;
  await processManagers?.start();
  // One active deadline checker per database (advisory lock); the others stand by.
  const overdueChecker = new OverdueChecker({
    referrals: service.app.get(ReferralRepository),
    readModel,
    pool,
    registry: service.metricsRegistry,
    ...(options.overdueCheckIntervalMs === undefined ? {} : { intervalMs: options.overdueCheckIntervalMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  overdueChecker.start();
  const url = await service.listen(options.port);
  return {
    url,
    service,
    store,
    pool,
    protector,
    relay: publishing?.relay,
    overdueChecker,
    outbox: publishing?.outbox,
    async stop() {
      await processManagers?.stop();
      await overdueChecker.stop();
      await service.app.close();
      await publishing?.stop();
      await proxy.close();
      await nats?.close();
      await storage.close();
    },
  };
}

const logLevelOf = (options: { readonly logLevel?: string }): { logLevel?: string } => (options.logLevel === undefined ? {} : { logLevel: options.logLevel });

/** How a referral's id follows from the sending agency and its Idempotency-Key (demo data uses it to find what it wrote). */
export { referralIdFor } from './referral/create-referral/create-referral.handler';
