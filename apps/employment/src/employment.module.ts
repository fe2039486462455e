import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { EmploymentRecordCommands } from './employment-record/employment-record-commands';
import { employmentRecord, EMPLOYMENT_RECORD_STORE } from './employment-record/employment-record.aggregate';
import { EmploymentRecordStepsHttpController } from './employment-record/employment-record.routes';
import { GetEmploymentRecordHttpController } from './employment-record/get-employment-record/get-employment-record.http.controller';
import { RegisterEmploymentRecordHandler } from './employment-record/register-employment-record/register-employment-record.handler';
import { RegisterEmploymentRecordHttpController } from './employment-record/register-employment-record/register-employment-record.http.controller';
import { employmentPolicy } from './employment.policy';
import { ListEmploymentRecordsHttpController } from './projections/employment-records/list-employment-records.http.controller';
import { READ_MODEL } from './tokens';

/**
 * The employment service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class EmploymentModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline } = infrastructure;
    return {
      module: EmploymentModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: employmentPolicy })],
      controllers: [
        RegisterEmploymentRecordHttpController,
        EmploymentRecordStepsHttpController,
        GetEmploymentRecordHttpController,
        ListEmploymentRecordsHttpController,
      ],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: EMPLOYMENT_RECORD_STORE, useValue: pipeline.storeOf(employmentRecord) },
        RegisterEmploymentRecordHandler,
        EmploymentRecordCommands,
      ],
    };
  }
}
