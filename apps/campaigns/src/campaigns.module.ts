import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { ActivityCommands } from './activity/activity-commands';
import { activity, ACTIVITY_STORE } from './activity/activity.aggregate';
import { ActivityHttpController } from './activity/activity.http.controller';
import { ActivityStepsHttpController } from './activity/activity.routes';
import { campaignsPolicy } from './campaigns.policy';
import { EstablishmentCommands } from './establishment/establishment-commands';
import { establishment, ESTABLISHMENT_STORE } from './establishment/establishment.aggregate';
import { EstablishmentHttpController } from './establishment/establishment.http.controller';
import { EstablishmentStepsHttpController } from './establishment/establishment.routes';
import { PlanCommands } from './plan/plan-commands';
import { plan, PLAN_STORE } from './plan/plan.aggregate';
import { PlanHttpController } from './plan/plan.http.controller';
import { PlanStepsHttpController } from './plan/plan.routes';
import { ListActivitiesHttpController } from './projections/activities/list-activities.http.controller';
import { ListRegistersHttpController } from './projections/registers/list-registers.http.controller';
import { SupportModelCommands } from './support-model/support-model-commands';
import { supportModel, SUPPORT_MODEL_STORE } from './support-model/support-model.aggregate';
import { SupportModelHttpController } from './support-model/support-model.http.controller';
import { SupportModelStepsHttpController } from './support-model/support-model.routes';
import { StaffRosterCommands } from './staff/staff-roster-commands';
import { staffRoster, STAFF_ROSTER_STORE } from './staff/staff-roster.aggregate';
import { StaffRosterHttpController } from './staff/staff-roster.http.controller';
import { StaffRosterStepsHttpController } from './staff/staff-roster.routes';
import { SurveyCommands } from './survey/survey-commands';
import { survey, SURVEY_STORE } from './survey/survey.aggregate';
import { SurveyHttpController } from './survey/survey.http.controller';
import { READ_MODEL } from './tokens';
import { training, TRAINING_STORE } from './training/training.aggregate';
import { TrainingHttpController } from './training/training.http.controller';

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
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: campaignsPolicy, clock: infrastructure.clock })],
      controllers: [
        PlanHttpController,
        PlanStepsHttpController,
        // The list before the activity by id: `GET /activities` and `GET /activities/:id` do not clash, but keep reads together.
        ListActivitiesHttpController,
        ListRegistersHttpController,
        ActivityHttpController,
        ActivityStepsHttpController,
        SupportModelHttpController,
        SupportModelStepsHttpController,
        SurveyHttpController,
        TrainingHttpController,
        EstablishmentHttpController,
        EstablishmentStepsHttpController,
        StaffRosterHttpController,
        StaffRosterStepsHttpController,
      ],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: PLAN_STORE, useValue: pipeline.storeOf(plan) },
        { provide: ACTIVITY_STORE, useValue: pipeline.storeOf(activity) },
        { provide: SUPPORT_MODEL_STORE, useValue: pipeline.storeOf(supportModel) },
        { provide: SURVEY_STORE, useValue: pipeline.storeOf(survey) },
        { provide: TRAINING_STORE, useValue: pipeline.storeOf(training) },
        { provide: ESTABLISHMENT_STORE, useValue: pipeline.storeOf(establishment) },
        { provide: STAFF_ROSTER_STORE, useValue: pipeline.storeOf(staffRoster) },
        PlanCommands,
        ActivityCommands,
        SupportModelCommands,
        SurveyCommands,
        EstablishmentCommands,
        StaffRosterCommands,
      ],
    };
  }
}
