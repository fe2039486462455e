import type { Clock } from '@haidang/decider';
import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { employmentDemo } from './demo/demo-employment';
import { EMPLOYMENT_RECORD_AGGREGATE } from './employment-record/domain';
import { EmploymentModule } from './employment.module';
import { employmentIntegrationEventsProjection } from './integration/employment-integration-events.projection';
import { PersonErasureProcessManager } from './integration/person-erasure.process-manager';
import { ReferralAcceptedProcessManager } from './integration/referral-accepted.process-manager';
import { employmentRecordsProjection } from './projections/employment-records/employment-records.projection';
import { registersProjection } from './projections/registers/registers.projection';
import { EMPLOYER_AGGREGATE, TRAINING_PROVIDER_AGGREGATE } from './registers/domain';

/** Every migration the service needs, in order (the platform's; the service has none of its own). */
export const employmentMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.employment.<Aggregate>.<Type>`. */
export const EMPLOYMENT_AGGREGATES = [EMPLOYMENT_RECORD_AGGREGATE, TRAINING_PROVIDER_AGGREGATE, EMPLOYER_AGGREGATE] as const;
export const employmentProjections = [employmentRecordsProjection, registersProjection, employmentIntegrationEventsProjection];

/**
 * The employment service as `npm start`, `npm run start:employment` and the tests read it: it opens
 * records from accepted referrals and shreds the key of a person erased in cases (durable
 * consumers), and publishes its integration events.
 */
export const employmentService = defineService({
  name: 'employment',
  port: 3003,
  aggregates: EMPLOYMENT_AGGREGATES,
  projections: employmentProjections,
  module: (infrastructure) => EmploymentModule.forRoot(infrastructure),
  processManagers: (context) => {
    const common = {
      bus: context.bus as NonNullable<typeof context.bus>,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(context.settings.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: context.settings.integrationSubjectPrefix }),
    };
    return [
      new ReferralAcceptedProcessManager({ ...common, pipeline: context.pipeline }),
      new PersonErasureProcessManager({ ...common, protector: context.protector }),
    ];
  },
  demoData: employmentDemo,
});

export interface StartEmploymentOptions extends ServiceSettings {
  readonly clock?: Clock;
}

export interface EmploymentService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the employment service in this process (tests); `npm start` and `main.ts` read `employmentService`. */
export async function startEmploymentService(options: StartEmploymentOptions): Promise<EmploymentService> {
  const running = await startService(employmentService, options);
  return { ...running, service: running.app };
}
