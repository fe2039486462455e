import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { ANALYST_EXPORT_AGGREGATE } from './analyst-export/domain';
import { ProjectionsModule } from './projections.module';
import { exportsProjection } from './projections/exports/exports.projection';

/** Every migration the service needs, in order (the platform's; add the service's own after them). */
export const projectionsMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.projections.<Aggregate>.<Type>`. */
export const PROJECTIONS_AGGREGATES = [ANALYST_EXPORT_AGGREGATE] as const;
export const projectionsProjections = [exportsProjection];

/** The projections service as `npm start`, `npm run start:projections` and the tests read it. */
export const projectionsService = defineService({
  name: 'projections',
  port: 3006,
  aggregates: PROJECTIONS_AGGREGATES,
  projections: projectionsProjections,
  module: (infrastructure) => ProjectionsModule.forRoot(infrastructure),
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
