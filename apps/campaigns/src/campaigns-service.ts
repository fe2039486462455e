import type { ServiceApp } from '@haidang/http-platform';
import { defineService, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceSettings } from '@haidang/service-kit';
import { ACTIVITY_AGGREGATE } from './activity/domain';
import { CampaignsModule } from './campaigns.module';
import { campaignsDemo } from './demo/demo-data';
import { campaignsIntegrationEventsProjection } from './integration/campaigns-integration-events.projection';
import { PLAN_AGGREGATE } from './plan/domain';
import { activitiesProjection } from './projections/activities/activities.projection';
import { campaignsRegistersProjection } from './projections/registers/registers.projection';
import { STAFF_ROSTER_AGGREGATE } from './staff/domain';
import { SUPPORT_MODEL_AGGREGATE } from './support-model/domain';
import { SURVEY_AGGREGATE } from './survey/domain';
import { ESTABLISHMENT_AGGREGATE } from './establishment/domain';
import { TRAINING_AGGREGATE } from './training/domain';

/** Every migration the service needs, in order (the platform's; the read models are the projections'). */
export const campaignsMigrations = PLATFORM_MIGRATIONS;
/** The aggregates whose streams this service writes: what its relay publishes as `evt.campaigns.<Aggregate>.<Type>`. */
export const CAMPAIGNS_AGGREGATES = [
  PLAN_AGGREGATE,
  ACTIVITY_AGGREGATE,
  SUPPORT_MODEL_AGGREGATE,
  SURVEY_AGGREGATE,
  TRAINING_AGGREGATE,
  ESTABLISHMENT_AGGREGATE,
  STAFF_ROSTER_AGGREGATE,
] as const;
export const campaignsProjections = [activitiesProjection, campaignsRegistersProjection, campaignsIntegrationEventsProjection];

/**
 * The campaigns service as `npm start`, `npm run start:campaigns` and the tests read it: prevention
 * plans with their targets, communication activities and the article register, support models,
 * awareness surveys; their integration events for the projections service.
 */
export const campaignsService = defineService({
  name: 'campaigns',
  port: 3004,
  aggregates: CAMPAIGNS_AGGREGATES,
  projections: campaignsProjections,
  module: (infrastructure) => CampaignsModule.forRoot(infrastructure),
  demoData: campaignsDemo,
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
