import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import type { PostgresEventStore } from '@haidang/event-store';
import type { PersonalDataProtector, PersonalIdIndex } from '@haidang/pii';
import { casesPolicy } from './cases.policy';
import { casesRpcController } from './messaging/cases-rpc.controller';
import { ErasePersonHttpController } from './person/erase-person/erase-person.http.controller';
import { GetPersonHttpController } from './person/get-person/get-person.http.controller';
import { PersonRepository } from './person/person.repository';
import type { NameIndex } from './person/person-search-keys';
import { RegisterPersonHandler } from './person/register-person/register-person.handler';
import { RegisterPersonHttpController } from './person/register-person/register-person.http.controller';
import { SearchPersonsHttpController } from './person/search-persons/search-persons.http.controller';
import { RegisterRehabCaseHttpController } from './rehab-case/register-rehab-case/register-rehab-case.http.controller';
import { RecordAddictionDeterminationHttpController } from './rehab-case/record-addiction-determination/record-addiction-determination.http.controller';
import { DecideRehabFormHttpController } from './rehab-case/decide-rehab-form/decide-rehab-form.http.controller';
import { StartRehabHttpController } from './rehab-case/start-rehab/start-rehab.http.controller';
import { NoteProgressHttpController } from './rehab-case/note-progress/note-progress.http.controller';
import { ReduceTermHttpController } from './rehab-case/reduce-term/reduce-term.http.controller';
import { CompleteRehabHttpController } from './rehab-case/complete-rehab/complete-rehab.http.controller';
import { DiscontinueRehabHttpController } from './rehab-case/discontinue-rehab/discontinue-rehab.http.controller';
import { StartPostRehabManagementHttpController } from './rehab-case/start-post-rehab-management/start-post-rehab-management.http.controller';
import { RecordRelapseHttpController } from './rehab-case/record-relapse/record-relapse.http.controller';
import { CloseRehabCaseHttpController } from './rehab-case/close-rehab-case/close-rehab-case.http.controller';
import { GetRehabCaseHttpController } from './rehab-case/get-rehab-case/get-rehab-case.http.controller';
import { ListRehabCasesHttpController } from './rehab-case/list-rehab-cases/list-rehab-cases.http.controller';
import { ListDeadlinesHttpController } from './deadlines/list-deadlines/list-deadlines.http.controller';
import { GetRehabCaseHistoryHttpController } from './rehab-case/get-rehab-case-history/get-rehab-case-history.http.controller';
import { RegisterRehabCaseHandler } from './rehab-case/register-rehab-case/register-rehab-case.handler';
import { PersonFacts } from './rehab-case/person-facts';
import { RehabCaseAccess } from './rehab-case/rehab-case-access';
import { RehabCaseCommands } from './rehab-case/rehab-case-commands';
import { RehabCaseRepository } from './rehab-case/rehab-case.repository';
import { RequestFingerprint } from './request-fingerprint';
import { EVENT_STORE, NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR, READ_MODEL, REQUEST_FINGERPRINT } from './tokens';

/** The infrastructure the service runs on, made once at boot (startCasesService) and handed in. */
export interface CasesInfrastructure {
  readonly store: PostgresEventStore;
  readonly protector: PersonalDataProtector;
  readonly personalIdIndex: PersonalIdIndex;
  readonly nameIndex: NameIndex;
  readonly readModel: DataSource;
  readonly requestFingerprint: RequestFingerprint;
}

@Module({})
export class CasesModule {
  /** `rpcSubjectPrefix`: empty in deployments; tests set their own (see casesRpcController). */
  static forRoot(infra: CasesInfrastructure, options: { readonly rpcSubjectPrefix?: string } = {}): DynamicModule {
    return {
      module: CasesModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: casesPolicy })],
      controllers: [
        RegisterPersonHttpController,
        GetPersonHttpController,
        SearchPersonsHttpController,
        ErasePersonHttpController,
        RegisterRehabCaseHttpController,
        RecordAddictionDeterminationHttpController,
        DecideRehabFormHttpController,
        StartRehabHttpController,
        NoteProgressHttpController,
        ReduceTermHttpController,
        CompleteRehabHttpController,
        DiscontinueRehabHttpController,
        StartPostRehabManagementHttpController,
        RecordRelapseHttpController,
        CloseRehabCaseHttpController,
        GetRehabCaseHttpController,
        GetRehabCaseHistoryHttpController,
        ListRehabCasesHttpController,
        ListDeadlinesHttpController,
        casesRpcController(options.rpcSubjectPrefix),
      ],
      providers: [
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: PROTECTOR, useValue: infra.protector },
        { provide: PERSONAL_ID_INDEX, useValue: infra.personalIdIndex },
        { provide: NAME_INDEX, useValue: infra.nameIndex },
        { provide: READ_MODEL, useValue: infra.readModel },
        { provide: REQUEST_FINGERPRINT, useValue: infra.requestFingerprint },
        PersonRepository,
        RegisterPersonHandler,
        RehabCaseRepository,
        RehabCaseAccess,
        RehabCaseCommands,
        RegisterRehabCaseHandler,
        PersonFacts,
      ],
    };
  }
}
