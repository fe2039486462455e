import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { EMPLOYMENT_RECORD_AGGREGATE } from './employment-record/domain';
import { EmploymentModule } from './employment.module';
import { employmentRecordsProjection } from './projections/employment-records/employment-records.projection';

/** Every migration the service needs, in order (the platform's; add the service's own after them). */
export const employmentMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.employment.<Aggregate>.<Type>`. */
export const EMPLOYMENT_AGGREGATES = [EMPLOYMENT_RECORD_AGGREGATE] as const;
export const employmentProjections = [employmentRecordsProjection];

/** The employment service as `npm start`, `npm run start:employment` and the tests read it. */
export const employmentService = defineService({
  name: 'employment',
  port: 3003,
  aggregates: EMPLOYMENT_AGGREGATES,
  projections: employmentProjections,
  module: (infrastructure) => EmploymentModule.forRoot(infrastructure),
});

export type StartEmploymentOptions = ServiceSettings;

export interface EmploymentService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the employment service in this process (tests); `npm start` and `main.ts` read `employmentService`. */
export async function startEmploymentService(options: StartEmploymentOptions): Promise<EmploymentService> {
  const running = await startService(employmentService, options);
  return { ...running, service: running.app };
}
