import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import type { PostgresEventStore } from '@haidang/event-store';
import type { PersonalDataProtector, PersonalIdIndex } from '@haidang/pii';
import { casesPolicy } from './cases.policy';
import { ErasePersonHttpController } from './person/erase-person/erase-person.http.controller';
import { GetPersonHttpController } from './person/get-person/get-person.http.controller';
import { PersonRepository } from './person/person.repository';
import type { NameIndex } from './person/person-search-keys';
import { RegisterPersonHandler } from './person/register-person/register-person.handler';
import { RegisterPersonHttpController } from './person/register-person/register-person.http.controller';
import { SearchPersonsHttpController } from './person/search-persons/search-persons.http.controller';
import { EVENT_STORE, NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR, READ_MODEL } from './tokens';

/** The infrastructure the service runs on, made once at boot (startCasesService) and handed in. */
export interface CasesInfrastructure {
  readonly store: PostgresEventStore;
  readonly protector: PersonalDataProtector;
  readonly personalIdIndex: PersonalIdIndex;
  readonly nameIndex: NameIndex;
  readonly readModel: DataSource;
}

@Module({})
export class CasesModule {
  static forRoot(infra: CasesInfrastructure): DynamicModule {
    return {
      module: CasesModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: casesPolicy })],
      controllers: [RegisterPersonHttpController, GetPersonHttpController, SearchPersonsHttpController, ErasePersonHttpController],
      providers: [
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: PROTECTOR, useValue: infra.protector },
        { provide: PERSONAL_ID_INDEX, useValue: infra.personalIdIndex },
        { provide: NAME_INDEX, useValue: infra.nameIndex },
        { provide: READ_MODEL, useValue: infra.readModel },
        PersonRepository,
        RegisterPersonHandler,
      ],
    };
  }
}
