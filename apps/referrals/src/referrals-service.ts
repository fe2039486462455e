import type { Clock } from '@haidang/decider';
import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { referralsDemo } from './demo/demo-referrals';
import { CasesEventsProcessManagers } from './integration/cases-events.process-managers';
import { EmploymentOutcomesProcessManager } from './integration/employment-outcomes.process-manager';
import { TraffickingVictimSupportProcessManager } from './integration/trafficking-victim-support.process-manager';
import { referralsIntegrationEventsProjection } from './integration/referrals-integration-events.projection';
import { OverdueChecker } from './overdue/overdue-checker';
import { overdueCandidatesFrom } from './projections/referrals/overdue-candidates.query';
import { SupportModelRegisterConsumer } from './projections/support-models/support-model-register';
import { referralsServiceMigrations } from './referrals.migrations';
import { referralsProjection } from './projections/referrals/referrals.projection';
import { REFERRAL_AGGREGATE } from './referral/domain';
import { referralsConfigFromEnv } from './config';
import { ReferralsModule } from './referrals.module';

/**
 * Every migration the service needs, in order. The platform's pii tables give the service its own
 * key table in its own database: a referral's free text is encrypted with a key of this service's,
 * so erasing a person here (on cases' erasure, see README) shreds it.
 */
export const referralsMigrations = [...PLATFORM_MIGRATIONS, ...referralsServiceMigrations];
/** The aggregates whose streams this service owns: what its relay publishes as `evt.referrals.<Aggregate>.<Type>`. */
export const REFERRALS_AGGREGATES = [REFERRAL_AGGREGATE] as const;
export const referralsProjections = [referralsProjection, referralsIntegrationEventsProjection];
/** How long a call to the cases service may take before the request is answered 503. */
export const DEFAULT_CASES_TIMEOUT_MS = 3_000;

/** What the referrals descriptor reads from `ServiceSettings.extra`. */
interface ReferralsExtra extends Readonly<Record<string, unknown>> {
  readonly overdueCheckIntervalMs?: number;
  /** Tests only: the time the deadline checker believes it is (default the service's clock). */
  readonly overdueClock?: Clock;
  readonly casesSubjectPrefix?: string;
}

/**
 * The referrals service as `npm start`, `npm run start:referrals` and the tests read it: it calls
 * cases (so starts after it), acts on cases' integration events, and runs one active deadline
 * checker per database.
 */
export const referralsService = defineService({
  name: 'referrals',
  port: 3002,
  aggregates: REFERRALS_AGGREGATES,
  projections: referralsProjections,
  migrations: referralsServiceMigrations,
  module: (infrastructure) => ReferralsModule.forRoot(infrastructure),
  calls: ['cases'],
  configure: referralsConfigFromEnv,
  // The cases service's integration events this one acts on (a durable consumer each).
  processManagers: (context) => [
    new CasesEventsProcessManagers({
      bus: context.bus as NonNullable<typeof context.bus>,
      referrals: context.pipeline,
      protector: context.protector,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(context.settings.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: context.settings.integrationSubjectPrefix }),
    }),
    EmploymentOutcomesProcessManager.for(context),
    new TraffickingVictimSupportProcessManager(context),
    // The register of support models (campaigns' integration events): the receivers of SUPPORT_MODEL referrals.
    SupportModelRegisterConsumer.for(context),
  ],
  // One active deadline checker per database (advisory lock); the others stand by.
  background: (context) => {
    const extra = (context.settings.extra ?? {}) as ReferralsExtra;
    return [
      new OverdueChecker({
        referrals: context.pipeline,
        candidates: overdueCandidatesFrom(context.readModel),
        pool: context.pool,
        registry: context.app.metricsRegistry,
        clock: extra.overdueClock ?? context.clock,
        ...(extra.overdueCheckIntervalMs === undefined ? {} : { intervalMs: extra.overdueCheckIntervalMs }),
      }),
    ];
  },
  demoData: referralsDemo,
});

export interface StartReferralsOptions extends Omit<ServiceSettings, 'extra' | 'clock'> {
  /** Tests only: the prefix the cases service's subjects carry (its `rpcSubjectPrefix`). */
  readonly casesSubjectPrefix?: string;
  /** Default 3 s. */
  readonly casesTimeoutMs?: number;
  /** Between rounds of the referral deadline checker (default 60 s; one active instance per database). */
  readonly overdueCheckIntervalMs?: number;
  /** Tests only: the time the deadline checker believes it is (default the system clock). */
  readonly clock?: Clock;
  /** Tests only: the time HTTP commands are decided at (default the system clock). */
  readonly requestClock?: Clock;
}

export interface ReferralsService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
  readonly overdueChecker: OverdueChecker;
}

/** Starts the referrals service in this process (tests); `npm start` and `main.ts` read `referralsService`. */
export async function startReferralsService(options: StartReferralsOptions): Promise<ReferralsService> {
  const { casesSubjectPrefix, casesTimeoutMs, overdueCheckIntervalMs, clock, requestClock, ...settings } = options;
  const extra: ReferralsExtra = {
    ...(casesSubjectPrefix === undefined ? {} : { casesSubjectPrefix }),
    ...(overdueCheckIntervalMs === undefined ? {} : { overdueCheckIntervalMs }),
    ...(clock === undefined ? {} : { overdueClock: clock }),
  };
  const running = await startService(referralsService, {
    ...settings,
    callTimeoutMs: casesTimeoutMs ?? DEFAULT_CASES_TIMEOUT_MS,
    ...(requestClock === undefined ? {} : { clock: requestClock }),
    extra,
  });
  const overdueChecker = running.background.find((work): work is OverdueChecker => work instanceof OverdueChecker);
  if (overdueChecker === undefined) throw new Error('the referrals service runs a deadline checker');
  return { ...running, service: running.app, overdueChecker };
}

/** How a referral's id follows from the sending agency and its Idempotency-Key (demo data uses it to find what it wrote). */
export { referralIdFor } from './referral/create-referral/create-referral.handler';
