import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersionError } from '@haidang/event-store';
import type { Principal } from '@haidang/request-context';
import { assertManagesForm, assertManagesUndecidedCase } from '../cases.policy';
import { decide, isDomainError, type RehabCaseCommand, type RehabCaseState } from './domain';
import { RehabCaseAccess } from './rehab-case-access';
import { caseNotFound, domainErrorToHttp, idempotencyKeyFrom, staleVersion, versionFromIfMatch } from './rehab-case-http';
import { RehabCaseRepository } from './rehab-case.repository';

export interface RehabCaseChange {
  readonly id: string;
  readonly version: number;
}

/**
 * The one path every change to an existing case takes: If-Match, scope (the person's commune),
 * the form the agency manages (per step, cases.policy.ts), decide, append at the expected version.
 *
 * Idempotency: a retry of an accepted request arrives with the old `If-Match`. The command is then
 * decided against the state at that version, so it yields the same events, and the store answers
 * from its record of the key; a different request under the key is refused by the store.
 */
@Injectable()
export class RehabCaseCommands {
  constructor(
    @Inject(RehabCaseRepository) private readonly cases: RehabCaseRepository,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
  ) {}

  /**
   * `complete` fills in what the service derives (e.g. the age group from the person's date of
   * birth); it runs after the scope checks, so nothing is read for a caller who may not act.
   */
  async execute(
    caseId: string,
    principal: Principal,
    ifMatch: string | undefined,
    rawKey: string | undefined,
    command: RehabCaseCommand,
    complete?: (command: RehabCaseCommand, state: RehabCaseState) => Promise<RehabCaseCommand>,
  ): Promise<RehabCaseChange> {
    const expected = versionFromIfMatch(ifMatch);
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    const current = await this.cases.load(caseId);
    if (current.state.status === 'NONE') throw caseNotFound();
    await this.access.assertInScope(principal, 'rehab-cases.manage', current.state);
    if (current.state.form !== null) assertManagesForm(principal, current.state.form, command.type);
    else {
      // No form yet (compulsory rehab awaiting determination and court): see assertManagesUndecidedCase.
      assertManagesUndecidedCase(principal);
      if (command.type === 'DecideRehabForm') assertManagesForm(principal, command.data.form, command.type);
    }
    if (expected > current.version || (expected < current.version && idempotencyKey === undefined)) throw staleVersion();
    const personId = current.state.personId;
    if (personId === null) throw caseNotFound();
    const seen = expected === current.version ? current : await this.cases.load(caseId, expected);
    const completed = complete ? await complete(command, seen.state) : command;
    const events = decide(completed, seen.state, new Date());
    if (isDomainError(events)) throw expected === current.version ? domainErrorToHttp(events) : staleVersion();
    try {
      // The command as the client sent it (before `complete`) is what its retry repeats.
      const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: { type: command.type, data: command.data } };
      return { id: caseId, version: await this.cases.append(caseId, personId, events, BigInt(expected), idempotency) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw staleVersion();
      throw error;
    }
  }
}
