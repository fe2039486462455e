import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { ActivityCommands } from './activity/activity-commands';
import { activity, ACTIVITY_STORE } from './activity/activity.aggregate';
import { ActivityStepsHttpController } from './activity/activity.routes';
import { GetActivityHttpController } from './activity/get-activity/get-activity.http.controller';
import { RegisterActivityHandler } from './activity/register-activity/register-activity.handler';
import { RegisterActivityHttpController } from './activity/register-activity/register-activity.http.controller';
import { campaignsPolicy } from './campaigns.policy';
import { ListActivitiesHttpController } from './projections/activities/list-activities.http.controller';
import { READ_MODEL } from './tokens';

/**
 * The campaigns service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class CampaignsModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline } = infrastructure;
    return {
      module: CampaignsModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: campaignsPolicy })],
      controllers: [RegisterActivityHttpController, ActivityStepsHttpController, GetActivityHttpController, ListActivitiesHttpController],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: ACTIVITY_STORE, useValue: pipeline.storeOf(activity) },
        RegisterActivityHandler,
        ActivityCommands,
      ],
    };
  }
}
