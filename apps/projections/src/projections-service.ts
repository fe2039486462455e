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
import { createInboxMetrics, IntegrationInbox } from './inbox/integration-inbox.consumers';
import { InsightsStore } from './inbox/insights-store';
import { projectionsServiceMigrations } from './inbox/projections.migrations';
import { DEFAULT_SUPPRESSION_THRESHOLD } from './indicators/suppression';
import { ProjectionsModule } from './projections.module';

/** Every migration the service needs, in order: the platform's, then the insights tables and the analysts' views and role. */
export const projectionsMigrations = [...PLATFORM_MIGRATIONS, ...projectionsServiceMigrations];
/**
 * The aggregates only this service writes, for its relay where databases are shared (`npm start`):
 * none. Its one stream kind, the access records of its readers (`AccessLog-*`), is also written by
 * cases and referrals; on a shared database the cases relay publishes them (as for referrals), and
 * on a database of its own this service's relay publishes its whole log.
 */
export const PROJECTIONS_AGGREGATES: readonly string[] = [];

/** SMALL_NUMBER_THRESHOLD: counts from 1 to this − 1 are suppressed (default 5). */
export function suppressionThresholdFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env['SMALL_NUMBER_THRESHOLD']?.trim();
  if (raw === undefined || raw === '') return DEFAULT_SUPPRESSION_THRESHOLD;
  const threshold = Number(raw);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100)
    throw new ConfigurationError('SMALL_NUMBER_THRESHOLD must be a whole number from 1 to 100');
  return threshold;
}

/** The projections service as `npm start`, `npm run start:projections` and the tests read it. */
export const projectionsService = defineService({
  name: 'projections',
  port: 3006,
  aggregates: PROJECTIONS_AGGREGATES,
  projections: [],
  migrations: projectionsServiceMigrations,
  module: (infrastructure) => ProjectionsModule.forRoot(infrastructure),
  configure: (env) => ({ ...serviceConfigurationFromEnv(3006, env), extra: { suppressionThreshold: suppressionThresholdFromEnv(env) } }),
  processManagers: (context) => [
    new IntegrationInbox({
      bus: context.bus as NonNullable<typeof context.bus>,
      store: new InsightsStore(context.pool),
      deadLetters: context.deadLetters,
      logger: context.logger,
      metrics: createInboxMetrics(context.app.metricsRegistry),
      clock: context.clock,
      ...(context.settings.integrationSubjectPrefix === undefined ? {} : { subjectPrefix: context.settings.integrationSubjectPrefix }),
    }),
  ],
});

export type StartProjectionsOptions = ServiceSettings;

export interface ProjectionsService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the projections service in this process (tests); `npm start` and `main.ts` read `projectionsService`. */
export async function startProjectionsService(options: StartProjectionsOptions): Promise<ProjectionsService> {
  const running = await startService(projectionsService, options);
  return { ...running, service: running.app };
}
