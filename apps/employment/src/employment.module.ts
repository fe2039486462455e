import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { EmploymentRecordCommands } from './employment-record/employment-record-commands';
import { employmentRecord, EMPLOYMENT_RECORD_STORE } from './employment-record/employment-record.aggregate';
import { EmploymentRecordStepsHttpController } from './employment-record/employment-record.routes';
import { GetEmploymentRecordHttpController } from './employment-record/get-employment-record/get-employment-record.http.controller';
import { OpenEmploymentRecordHandler } from './employment-record/open-employment-record/open-employment-record.handler';
import { OpenEmploymentRecordHttpController } from './employment-record/open-employment-record/open-employment-record.http.controller';
import { employmentPolicy } from './employment.policy';
import { ListEmploymentRecordsHttpController } from './projections/employment-records/list-employment-records.http.controller';
import { EmploymentQueriesHttpController } from './queries/queries.http.controller';
import { RegistersHandler } from './registers/registers.handler';
import { EmployersHttpController, TrainingProvidersHttpController } from './registers/registers.http.controller';
import { CLOCK, READ_MODEL } from './tokens';

/**
 * The employment service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class EmploymentModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline, clock } = infrastructure;
    return {
      module: EmploymentModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: employmentPolicy })],
      controllers: [
        OpenEmploymentRecordHttpController,
        ListEmploymentRecordsHttpController,
        EmploymentRecordStepsHttpController,
        GetEmploymentRecordHttpController,
        TrainingProvidersHttpController,
        EmployersHttpController,
        EmploymentQueriesHttpController,
      ],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CLOCK, useValue: clock },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: EMPLOYMENT_RECORD_STORE, useValue: pipeline.storeOf(employmentRecord) },
        OpenEmploymentRecordHandler,
        EmploymentRecordCommands,
        RegistersHandler,
      ],
    };
  }
}
