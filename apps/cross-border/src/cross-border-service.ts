import type { ServiceApp } from '@haidang/http-platform';
import {
  ConfigurationError,
  defineService,
  PLATFORM_MIGRATIONS,
  serviceConfigurationFromEnv,
  startService,
  type RunningService,
  type ServiceSettings,
} from '@haidang/service-kit';
import { COOPERATION_RECORD_AGGREGATE } from './cooperation-record/domain';
import { sealSignerFromEnv } from './cooperation-record/seal/seal-signer';
import { CrossBorderModule } from './cross-border.module';
import { loadCrossBorderDemo } from './demo/demo-data';
import { CasesPersonErasureProcessManager } from './handed-over-person/cases-person-erasure/cases-person-erasure.process-manager';
import { CASES_PERSON_LINK_AGGREGATE } from './handed-over-person/cases-person-links';
import { HANDED_OVER_PERSON_AGGREGATE } from './handed-over-person/domain';
import { crossBorderIntegrationEventsProjection } from './integration/cross-border-integration-events.projection';
import { recordsProjection } from './projections/records/records.projection';

/** Every migration the service needs, in order (the platform's; add the service's own after them). */
export const crossBorderMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.cross-border.<Aggregate>.<Type>`. */
export const CROSS_BORDER_AGGREGATES = [COOPERATION_RECORD_AGGREGATE, HANDED_OVER_PERSON_AGGREGATE, CASES_PERSON_LINK_AGGREGATE] as const;
export const crossBorderProjections = [recordsProjection, crossBorderIntegrationEventsProjection];

/** The cross-border service as `npm start`, `npm run start:cross-border` and the tests read it. */
export const crossBorderService = defineService({
  name: 'cross-border',
  port: 3005,
  aggregates: CROSS_BORDER_AGGREGATES,
  projections: crossBorderProjections,
  module: (infrastructure) => CrossBorderModule.forRoot(infrastructure),
  // Persons received who need support are registered in cases (`cases.persons.register`, with the officer's token).
  calls: ['cases'],
  // An erasure in cases reaches the handed-over persons registered as that person (a durable consumer).
  processManagers: (context) => [new CasesPersonErasureProcessManager(context)],
  // The seal key is checked before anything opens: a bad INTEGRITY_SIGNING_KEY stops the start here.
  configure: (env) => {
    const configuration = serviceConfigurationFromEnv(3005, env);
    try {
      return { ...configuration, extra: { sealSigner: sealSignerFromEnv(env) } };
    } catch (error) {
      throw new ConfigurationError((error as Error).message);
    }
  },
  demoData: (context) => loadCrossBorderDemo(context),
});

export type StartCrossBorderOptions = ServiceSettings;

export interface CrossBorderService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the cross-border service in this process (tests); `npm start` and `main.ts` read `crossBorderService`. */
export async function startCrossBorderService(options: StartCrossBorderOptions): Promise<CrossBorderService> {
  const running = await startService(crossBorderService, options);
  return { ...running, service: running.app };
}
