import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { Principal } from '@haidang/request-context';
import { assertManagesForm, assertManagesUndecidedCase } from '../cases.policy';
import type { DomainError } from '@haidang/decider';
import { drugUserManagement } from '../drug-user-management/drug-user-management.aggregate';
import type { CloseRehabCase, RehabCaseCommand, RehabCaseEvent, RehabCaseState } from './domain';

const MANAGEMENT_NOT_FOUND: DomainError = {
  kind: 'DomainError',
  code: 'drug-user-management-not-found',
  message: 'no management of an illegal drug user with that id exists for the person of this case',
};
import { isCedemexPilotSite } from './cedemex-pilot-site';
import { PersonFacts } from './person-facts';
import { RehabCaseAccess } from './rehab-case-access';
import { rehabCase } from './rehab-case.aggregate';

/**
 * Every change to an existing case, whoever sends it (HTTP route, process manager): the kit's one
 * pipeline with the case's own authorization — scope (the person's commune), then the form the
 * agency manages (per step, cases.policy.ts) — and the facts the service derives.
 */
@Injectable()
export class RehabCaseCommands {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
    @Inject(PersonFacts) private readonly facts: PersonFacts,
  ) {}

  execute(
    caseId: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: RehabCaseCommand,
  ): Promise<CommandResult<RehabCaseEvent>> {
    return this.pipeline.execute(rehabCase, caseId, command, {
      ...conditions,
      // The command as the client sent it (before the age group is filled in) is what its retry repeats.
      request: { type: command.type, data: command.data },
      authorize: (state) => this.authorize(principal, state, command),
      complete: (filled, state) => this.complete(filled, state, principal),
    });
  }

  private async authorize(principal: Principal, state: RehabCaseState, command: RehabCaseCommand): Promise<void> {
    await this.access.assertInScope(principal, 'rehab-cases.manage', state);
    if (state.form !== null) assertManagesForm(principal, state.form, command.type);
    else {
      // No form yet (compulsory rehab awaiting determination and court): see assertManagesUndecidedCase.
      assertManagesUndecidedCase(principal, command.type);
      if (command.type === 'DecideRehabForm') assertManagesForm(principal, command.data.form, command.type);
    }
  }

  /**
   * The age group (from the date of birth, on the decision date) and whether the decision is made
   * at a Cedemex pilot site are the service's to derive, never the caller's.
   */
  private async complete(command: RehabCaseCommand, state: RehabCaseState, principal: Principal) {
    if (command.type === 'CloseRehabCase') return this.checkManagementNamed(command, state);
    if (command.type !== 'DecideRehabForm' || state.personId === null) return command;
    const { decisionDate } = command.data.legalBasis;
    const ageGroup = await this.facts.ageGroupOn(state.personId, decisionDate);
    if (typeof ageGroup !== 'string') return ageGroup;
    const cedemexPilotSite = isCedemexPilotSite(principal, await this.access.communeOf(state.personId), decisionDate);
    return { ...command, data: { ...command.data, ageGroup, cedemexPilotSite } };
  }

  /** The management a "not addicted" case's closure names must exist and be about the same person. */
  private async checkManagementNamed(command: CloseRehabCase, state: RehabCaseState): Promise<CloseRehabCase | DomainError> {
    const id = command.data.drugUserManagementId;
    if (!id) return command;
    const { state: management } = await this.pipeline.storeOf(drugUserManagement).load(id);
    if (management.status === 'NONE' || management.personId !== state.personId) return MANAGEMENT_NOT_FOUND;
    return command;
  }
}
