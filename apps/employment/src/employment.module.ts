import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { EmploymentRecordCommands } from './employment-record/employment-record-commands';
import { employmentRecord, EMPLOYMENT_RECORD_STORE } from './employment-record/employment-record.aggregate';
import { EmploymentRecordStepsHttpController } from './employment-record/employment-record.routes';
import { GetEmploymentProfileHttpController } from './employment-record/get-employment-record/get-employment-profile.http.controller';
import { GetEmploymentRecordHttpController } from './employment-record/get-employment-record/get-employment-record.http.controller';
import { OpenEmploymentRecordHandler } from './employment-record/open-employment-record/open-employment-record.handler';
import { OpenEmploymentRecordHttpController } from './employment-record/open-employment-record/open-employment-record.http.controller';
import { employmentPolicy } from './employment.policy';
import {
  ListEmploymentRecordsHttpController,
  ListTrainingsAndJobsHttpController,
} from './projections/employment-records/list-employment-records.http.controller';
import { EmploymentQueriesHttpController } from './queries/queries.http.controller';
import { EmployerCommands, RegistersHandler, TrainingProviderCommands } from './registers/registers.handler';
import { EmployerStepsHttpController, TrainingProviderStepsHttpController } from './registers/registers.routes';
import { EmployersHttpController, TrainingProvidersHttpController } from './registers/registers.http.controller';
import { CLOCK, PROTECTOR, READ_MODEL } from './tokens';

/**
 * The employment service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class EmploymentModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline, clock, protector } = infrastructure;
    return {
      module: EmploymentModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: employmentPolicy, clock: infrastructure.clock })],
      controllers: [
        OpenEmploymentRecordHttpController,
        ListEmploymentRecordsHttpController,
        ListTrainingsAndJobsHttpController,
        EmploymentRecordStepsHttpController,
        GetEmploymentRecordHttpController,
        GetEmploymentProfileHttpController,
        TrainingProvidersHttpController,
        EmployersHttpController,
        TrainingProviderStepsHttpController,
        EmployerStepsHttpController,
        EmploymentQueriesHttpController,
      ],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CLOCK, useValue: clock },
        { provide: PROTECTOR, useValue: protector },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: EMPLOYMENT_RECORD_STORE, useValue: pipeline.storeOf(employmentRecord) },
        OpenEmploymentRecordHandler,
        EmploymentRecordCommands,
        RegistersHandler,
        TrainingProviderCommands,
        EmployerCommands,
      ],
    };
  }
}
