import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import type { ServiceApp } from '@haidang/http-platform';
import { CasesModule } from './cases.module';
import { casesDemo } from './demo/demo-data';
import { DRUG_USER_MANAGEMENT_AGGREGATE } from './drug-user-management/domain';
import { casesIntegrationEventsProjection } from './integration/cases-integration-events.projection';
import { FacilityAdmissionProcessManager } from './integration/facility-admission.process-manager';
import { casesServiceMigrations } from './person/cases.migrations';
import { PERSON_AGGREGATE } from './person/domain';
import { drugUserManagementsProjection } from './projections/drug-user-managements/drug-user-managements.projection';
import { personsProjection } from './projections/persons/persons.projection';
import { rehabCasesProjection } from './projections/rehab-cases/rehab-cases.projection';
import { REHAB_CASE_AGGREGATE } from './rehab-case/domain';

/** Every migration the service needs, in order. */
export const casesMigrations = [...PLATFORM_MIGRATIONS, ...casesServiceMigrations];
/**
 * The aggregates whose streams this service writes: what its relay publishes as
 * `evt.cases.<Aggregate>.<Type>` where services share a database. The access log and break-glass
 * streams (libs/audit) are the cases service's there: it is the one that reveals persons.
 */
export const CASES_AGGREGATES = [PERSON_AGGREGATE, REHAB_CASE_AGGREGATE, DRUG_USER_MANAGEMENT_AGGREGATE, 'AccessLog', 'BreakGlass'] as const;
export const casesProjections = [personsProjection, rehabCasesProjection, drugUserManagementsProjection, casesIntegrationEventsProjection];

/**
 * The cases service as `npm start`, `npm run start:cases` and the tests read it: persons and rehab
 * cases, answering `cases.*` requests, recording facility admissions from referrals.
 */
export const casesService = defineService({
  name: 'cases',
  port: 3001,
  aggregates: CASES_AGGREGATES,
  projections: casesProjections,
  migrations: casesServiceMigrations,
  module: (infrastructure) => CasesModule.forRoot(infrastructure),
  answersRequests: true,
  demoData: casesDemo,
  // Integration events of other services this one acts on (a durable consumer each).
  processManagers: (context) => [
    new FacilityAdmissionProcessManager({
      bus: context.bus as NonNullable<typeof context.bus>,
      pipeline: context.pipeline,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(context.settings.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: context.settings.integrationSubjectPrefix }),
    }),
  ],
});

export type StartCasesOptions = ServiceSettings;

export interface CasesService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the cases service in this process (tests, the bench); `npm start` and `main.ts` read `casesService`. */
export async function startCasesService(options: StartCasesOptions): Promise<CasesService> {
  const running = await startService(casesService, options);
  return { ...running, service: running.app };
}

/** How a rehab case's id follows from the registering agency and its Idempotency-Key (demo data uses it to find its marker case). */
export { caseIdFor } from './rehab-case/register-rehab-case/register-rehab-case.handler';
/** Likewise for a person. */
export { personIdFor } from './person/register-person/register-person.handler';
