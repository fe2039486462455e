import { Inject, Injectable } from '@nestjs/common';
import { isDomainError } from '@haidang/decider';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { casesPolicy, type CasesAction } from '../cases.policy';
import { assertHoldsFunction } from '../function-holder';
import { PersonFacts } from '../rehab-case/person-facts';
import { RehabCaseAccess } from '../rehab-case/rehab-case-access';
import type { DrugUserManagementCommand, DrugUserManagementEvent, DrugUserManagementState } from './domain';
import { drugUserManagement } from './drug-user-management.aggregate';
import type { DecideDrugUserManagementRequestDto } from './drug-user-management.dto';

const PERSON_NOT_FOUND = { kind: 'DomainError', code: 'person-not-found', message: 'No such person.' } as const;

/**
 * Decisions and steps of the management of an illegal drug user, through the kit's one pipeline.
 * Scope is the person's residence commune. The decision, its end and its early end are acts of the
 * agency type holding DRUG_USER_MANAGEMENT on the act's date (the commune: its chair decides); the
 * commune police test the person during management (their duty under Law 73/2021 Art. 24–26).
 */
@Injectable()
export class DrugUserManagementCommands {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
    @Inject(PersonFacts) private readonly facts: PersonFacts,
  ) {}

  async decide(
    request: DecideDrugUserManagementRequestDto,
    principal: Principal,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<DrugUserManagementEvent>> {
    const commune = await this.access.communeOf(request.personId);
    if (commune === undefined) return { ok: false, failure: { kind: 'rejected', error: PERSON_NOT_FOUND } };
    casesPolicy.assertInScope(principal, 'drug-user-managements.decide', { unitCodes: [commune] }, jurisdiction);
    assertHolds(principal, request.legalBasis.decisionDate);
    const ageGroup = await this.facts.ageGroupOn(request.personId, request.legalBasis.decisionDate);
    if (isDomainError(ageGroup)) return { ok: false, failure: { kind: 'rejected', error: ageGroup } };
    const managementId = this.pipeline.storeOf(drugUserManagement).newId(principal.agency.code, idempotencyKey);
    const { legalBasis } = request;
    return this.pipeline.execute(
      drugUserManagement,
      managementId,
      {
        type: 'DecideDrugUserManagement',
        data: {
          managementId,
          personId: request.personId,
          rehabCaseId: request.rehabCaseId ?? null,
          legalBasis: { decisionNo: legalBasis.decisionNo, decisionDate: legalBasis.decisionDate, issuedBy: legalBasis.issuedBy },
          positiveTestOn: request.positiveTestOn,
          startsOn: request.startsOn,
          ageGroup,
        },
      },
      { expected: 'new', idempotencyKey, request: { route: 'decide-drug-user-management', body: { ...request } } },
    );
  }

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: DrugUserManagementCommand,
  ): Promise<CommandResult<DrugUserManagementEvent>> {
    return this.pipeline.execute(drugUserManagement, id, command, {
      ...conditions,
      request: { type: command.type, data: command.data },
      authorize: async (state) => {
        await this.assertInScope(principal, 'drug-user-managements.manage', state);
        if (command.type === 'EndDrugUserManagement') assertHolds(principal, command.data.endedOn);
        if (command.type === 'TerminateDrugUserManagementEarly') assertHolds(principal, command.data.terminatedOn);
      },
    });
  }

  async assertInScope(principal: Principal, action: CasesAction, state: DrugUserManagementState): Promise<void> {
    const commune = state.personId === null ? undefined : await this.access.communeOf(state.personId);
    casesPolicy.assertInScope(principal, action, { unitCodes: commune === undefined ? [] : [commune] }, jurisdiction);
  }
}

/** 403 unless the caller's agency type holds the management of illegal drug users on `onDate`. */
const assertHolds = (principal: Principal, onDate: string): void => assertHoldsFunction(principal, 'DRUG_USER_MANAGEMENT', onDate);

/** The id a management decided under `idempotencyKey` by `agencyCode` gets (demo data finds it by this). */
export const drugUserManagementIdFor = (agencyCode: string, idempotencyKey: string): string =>
  deterministicUuid(drugUserManagement.idNamespace, agencyCode, idempotencyKey);
