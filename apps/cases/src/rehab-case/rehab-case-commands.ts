import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { Principal } from '@haidang/request-context';
import { assertManagesForm, assertManagesUndecidedCase } from '../cases.policy';
import type { RehabCaseCommand, RehabCaseEvent, RehabCaseState } from './domain';
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
      complete: (filled, state) => this.complete(filled, state),
    });
  }

  private async authorize(principal: Principal, state: RehabCaseState, command: RehabCaseCommand): Promise<void> {
    await this.access.assertInScope(principal, 'rehab-cases.manage', state);
    if (state.form !== null) assertManagesForm(principal, state.form, command.type);
    else {
      // No form yet (compulsory rehab awaiting determination and court): see assertManagesUndecidedCase.
      assertManagesUndecidedCase(principal);
      if (command.type === 'DecideRehabForm') assertManagesForm(principal, command.data.form, command.type);
    }
  }

  /** The age group is the service's to derive (from the date of birth, on the decision date), never the caller's. */
  private async complete(command: RehabCaseCommand, state: RehabCaseState) {
    if (command.type !== 'DecideRehabForm' || state.personId === null) return command;
    const ageGroup = await this.facts.ageGroupOn(state.personId, command.data.legalBasis.decisionDate);
    return typeof ageGroup === 'string' ? { ...command, data: { ...command.data, ageGroup } } : ageGroup;
  }
}
