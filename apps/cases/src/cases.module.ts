import { type DynamicModule, Module } from '@nestjs/common';
import { activeBreakGlass } from '@haidang/audit';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { PersonalIdIndex } from '@haidang/pii';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { casesPolicy } from './cases.policy';
import { DrugUserManagementCommands } from './drug-user-management/drug-user-management-commands';
import { drugUserManagement, DRUG_USER_MANAGEMENT_STORE } from './drug-user-management/drug-user-management.aggregate';
import {
  DecideDrugUserManagementHttpController,
  DrugUserManagementStepsHttpController,
  GetDrugUserManagementHttpController,
} from './drug-user-management/drug-user-management.http';
import { casesRpcController } from './messaging/cases-rpc.controller';
import { ErasePersonHttpController } from './person/erase-person/erase-person.http.controller';
import { GetPersonHttpController } from './person/get-person/get-person.http.controller';
import { person, PERSON_STORE } from './person/person.aggregate';
import { NameIndex } from './person/person-search-keys';
import { DuplicateReviewsTable } from './person/duplicate-review/duplicate-reviews.table';
import { ListDuplicateReviewsHttpController } from './person/duplicate-review/list-duplicate-reviews.http.controller';
import { ResolveDuplicateReviewHttpController } from './person/duplicate-review/resolve-duplicate-review.http.controller';
import {
  DUPLICATE_REVIEWS,
  PERSON_CANDIDATES,
  PERSON_SEARCH_KEYS,
  RegisterPersonHandler,
  type PersonCandidates,
} from './person/register-person/register-person.handler';
import { RegisterPersonHttpController } from './person/register-person/register-person.http.controller';
import { registerPersonRpcController } from './person/register-person/register-person.rpc';
import { personCandidates as findPersonCandidates } from './projections/persons/person-candidates.query';
import { PersonSearchKeysTable } from './projections/persons/person-search-keys.table';
import { countPriorCourses } from './projections/rehab-cases/prior-courses.query';
import { ListDeadlinesHttpController } from './queries/list-deadlines/list-deadlines.http.controller';
import { ListDrugUserManagementsHttpController } from './queries/list-drug-user-managements/list-drug-user-managements.http.controller';
import { ListRehabCasesHttpController } from './queries/list-rehab-cases/list-rehab-cases.http.controller';
import { SearchPersonsHttpController } from './queries/search-persons/search-persons.http.controller';
import { GetRehabCaseHistoryHttpController } from './rehab-case/get-rehab-case-history/get-rehab-case-history.http.controller';
import { GetRehabCaseHttpController } from './rehab-case/get-rehab-case/get-rehab-case.http.controller';
import { PersonFacts, PRIOR_COURSES, type PriorCourses } from './rehab-case/person-facts';
import { RegisterRehabCaseHandler } from './rehab-case/register-rehab-case/register-rehab-case.handler';
import { RegisterRehabCaseHttpController } from './rehab-case/register-rehab-case/register-rehab-case.http.controller';
import { RehabCaseAccess } from './rehab-case/rehab-case-access';
import { RehabCaseCommands } from './rehab-case/rehab-case-commands';
import { rehabCase, REHAB_CASE_STORE } from './rehab-case/rehab-case.aggregate';
import { RehabCaseStepsHttpController } from './rehab-case/rehab-case.routes';
import { BREAK_GLASS_GRANTS, ReadAccess, type BreakGlassGrants } from './read-access';
import { CLOCK, EVENT_STORE, NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR, READ_MODEL } from './tokens';

/**
 * The cases service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. The write side asks the read models through its ports (PriorCourses,
 * PersonCandidates), answered here by the read side's queries.
 */
@Module({})
export class CasesModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline, keys } = infrastructure;
    const priorCourses: PriorCourses = { count: (personId, excludingCaseId) => countPriorCourses(readModel, personId, excludingCaseId) };
    const personCandidates: PersonCandidates = {
      candidates: (excluding, nameIndex, personalIdIndex) => findPersonCandidates(readModel, excluding, nameIndex, personalIdIndex),
    };
    // Break-glass grants live in the audit streams of this service's store (libs/audit).
    const breakGlassGrants: BreakGlassGrants = {
      activeGrant: async (principalSub, subjectIds, now) => {
        for (const subjectId of subjectIds) {
          const grant = await activeBreakGlass(infrastructure.store, principalSub, subjectId, now);
          if (grant) return grant.grantId;
        }
        return undefined;
      },
    };
    return {
      module: CasesModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: casesPolicy, clock: infrastructure.clock })],
      controllers: [
        RegisterPersonHttpController,
        GetPersonHttpController,
        SearchPersonsHttpController,
        ErasePersonHttpController,
        ListDuplicateReviewsHttpController,
        ResolveDuplicateReviewHttpController,
        RegisterRehabCaseHttpController,
        RehabCaseStepsHttpController,
        GetRehabCaseHttpController,
        GetRehabCaseHistoryHttpController,
        ListRehabCasesHttpController,
        ListDeadlinesHttpController,
        DecideDrugUserManagementHttpController,
        DrugUserManagementStepsHttpController,
        GetDrugUserManagementHttpController,
        ListDrugUserManagementsHttpController,
        // `rpcSubjectPrefix`: empty in deployments; tests set their own (see casesRpcController).
        casesRpcController(infrastructure.settings.rpcSubjectPrefix),
        registerPersonRpcController(infrastructure.settings.rpcSubjectPrefix),
      ],
      providers: [
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: PROTECTOR, useValue: infrastructure.protector },
        { provide: PERSONAL_ID_INDEX, useValue: new PersonalIdIndex(keys.personalIdIndexKey) },
        { provide: NAME_INDEX, useValue: new NameIndex(keys.personalIdIndexKey) },
        { provide: READ_MODEL, useValue: readModel },
        { provide: CLOCK, useValue: infrastructure.clock },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: PERSON_STORE, useValue: pipeline.storeOf(person) },
        { provide: REHAB_CASE_STORE, useValue: pipeline.storeOf(rehabCase) },
        { provide: DRUG_USER_MANAGEMENT_STORE, useValue: pipeline.storeOf(drugUserManagement) },
        { provide: PRIOR_COURSES, useValue: priorCourses },
        { provide: PERSON_CANDIDATES, useValue: personCandidates },
        { provide: PERSON_SEARCH_KEYS, useValue: new PersonSearchKeysTable(readModel) },
        { provide: DUPLICATE_REVIEWS, useValue: new DuplicateReviewsTable(readModel) },
        { provide: BREAK_GLASS_GRANTS, useValue: breakGlassGrants },
        ReadAccess,
        RegisterPersonHandler,
        RehabCaseAccess,
        RehabCaseCommands,
        RegisterRehabCaseHandler,
        PersonFacts,
        DrugUserManagementCommands,
      ],
    };
  }
}
