import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { CooperationRecordCommands } from './cooperation-record/cooperation-record-commands';
import { cooperationRecord, COOPERATION_RECORD_STORE } from './cooperation-record/cooperation-record.aggregate';
import { CooperationRecordStepsHttpController } from './cooperation-record/cooperation-record.routes';
import { ExportRecordPdfHttpController } from './cooperation-record/export-pdf/export-pdf.http.controller';
import { GetCooperationRecordHttpController } from './cooperation-record/get-cooperation-record/get-cooperation-record.http.controller';
import { RegisterCooperationRecordHandler } from './cooperation-record/register-cooperation-record/register-cooperation-record.handler';
import { RegisterCooperationRecordHttpController } from './cooperation-record/register-cooperation-record/register-cooperation-record.http.controller';
import { GetSealHttpController } from './cooperation-record/seal/get-seal.http.controller';
import { sealSignerFromEnv, type SealSigner } from './cooperation-record/seal/seal-signer';
import { crossBorderPolicy } from './cross-border.policy';
import { CasesPersons } from './handed-over-person/cases-persons';
import { EraseHandedOverPersonHttpController } from './handed-over-person/erase-handed-over-person/erase-handed-over-person.http.controller';
import { handedOverPerson, HANDED_OVER_PERSON_STORE } from './handed-over-person/handed-over-person.aggregate';
import { ListRecordsHttpController } from './projections/records/list-records.http.controller';
import { RegistersHttpController } from './queries/registers/registers.http.controller';
import { ListStatisticsHttpController } from './queries/statistics/list-statistics.http.controller';
import { CASES_CLIENT, CASES_SUBJECT_PREFIX, EVENT_STORE, PROTECTOR, READ_MODEL, SEAL_SIGNER } from './tokens';

/**
 * The cross-border service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class CrossBorderModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline, protector } = infrastructure;
    const cases = infrastructure.clients['cases'];
    if (cases === undefined) throw new Error('cross-border needs a client of the cases service (descriptor `calls`)');
    // Empty in deployments; tests set the prefix their cases service listens under.
    const casesSubjectPrefix = infrastructure.settings.extra?.['casesSubjectPrefix'];
    const signer: SealSigner = (infrastructure.settings.extra?.['sealSigner'] as SealSigner | undefined) ?? sealSignerFromEnv();
    return {
      module: CrossBorderModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: crossBorderPolicy, clock: infrastructure.clock })],
      controllers: [
        RegisterCooperationRecordHttpController,
        ListRecordsHttpController,
        ListStatisticsHttpController,
        RegistersHttpController,
        CooperationRecordStepsHttpController,
        GetSealHttpController,
        ExportRecordPdfHttpController,
        GetCooperationRecordHttpController,
        EraseHandedOverPersonHttpController,
      ],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: PROTECTOR, useValue: protector },
        { provide: SEAL_SIGNER, useValue: signer },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: COOPERATION_RECORD_STORE, useValue: pipeline.storeOf(cooperationRecord) },
        { provide: HANDED_OVER_PERSON_STORE, useValue: pipeline.storeOf(handedOverPerson) },
        { provide: CASES_CLIENT, useValue: cases },
        { provide: CASES_SUBJECT_PREFIX, useValue: typeof casesSubjectPrefix === 'string' ? casesSubjectPrefix : '' },
        CasesPersons,
        RegisterCooperationRecordHandler,
        CooperationRecordCommands,
      ],
    };
  }
}
