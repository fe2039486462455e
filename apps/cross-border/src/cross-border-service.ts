import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { COOPERATION_RECORD_AGGREGATE } from './cooperation-record/domain';
import { CrossBorderModule } from './cross-border.module';
import { recordsProjection } from './projections/records/records.projection';

/** Every migration the service needs, in order (the platform's; add the service's own after them). */
export const crossBorderMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.cross-border.<Aggregate>.<Type>`. */
export const CROSS_BORDER_AGGREGATES = [COOPERATION_RECORD_AGGREGATE] as const;
export const crossBorderProjections = [recordsProjection];

/** The cross-border service as `npm start`, `npm run start:cross-border` and the tests read it. */
export const crossBorderService = defineService({
  name: 'cross-border',
  port: 3005,
  aggregates: CROSS_BORDER_AGGREGATES,
  projections: crossBorderProjections,
  module: (infrastructure) => CrossBorderModule.forRoot(infrastructure),
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
