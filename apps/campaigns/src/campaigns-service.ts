import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { ACTIVITY_AGGREGATE } from './activity/domain';
import { CampaignsModule } from './campaigns.module';
import { activitiesProjection } from './projections/activities/activities.projection';

/** Every migration the service needs, in order (the platform's; add the service's own after them). */
export const campaignsMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.campaigns.<Aggregate>.<Type>`. */
export const CAMPAIGNS_AGGREGATES = [ACTIVITY_AGGREGATE] as const;
export const campaignsProjections = [activitiesProjection];

/** The campaigns service as `npm start`, `npm run start:campaigns` and the tests read it. */
export const campaignsService = defineService({
  name: 'campaigns',
  port: 3004,
  aggregates: CAMPAIGNS_AGGREGATES,
  projections: campaignsProjections,
  module: (infrastructure) => CampaignsModule.forRoot(infrastructure),
});

export type StartCampaignsOptions = ServiceSettings;

export interface CampaignsService extends Omit<RunningService, 'app'> {
  readonly service: ServiceApp;
}

/** Starts the campaigns service in this process (tests); `npm start` and `main.ts` read `campaignsService`. */
export async function startCampaignsService(options: StartCampaignsOptions): Promise<CampaignsService> {
  const running = await startService(campaignsService, options);
  return { ...running, service: running.app };
}
