import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { employer, trainingProvider } from '../registers/registers.aggregate';
import type { EmploymentRecordCommand, EmploymentRecordEvent } from './domain';
import { assertEmploymentRecordInScope } from './employment-record-access';
import { employmentRecord } from './employment-record.aggregate';

export interface Conditions {
  readonly expected: { readonly version: number };
  readonly idempotencyKey: string | undefined;
}

/**
 * Every change to an existing employment record, whoever sends it (HTTP route, process manager): the
 * kit's one pipeline (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's
 * scope. What the service knows and the decider needs (is the provider, the employer in the
 * register?) is filled in after authorization, from the registers' own streams.
 */
@Injectable()
export class EmploymentRecordCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: Conditions,
    command: EmploymentRecordCommand,
    /** What a retry must repeat: the body as sent (the command may carry ids made here). */
    request: unknown,
  ): Promise<CommandResult<EmploymentRecordEvent>> {
    return this.pipeline.execute(employmentRecord, id, command, {
      ...conditions,
      request,
      authorize: (state) => assertEmploymentRecordInScope(principal, 'employment-records.manage', state),
      complete: (c) => this.complete(c),
    });
  }

  /** The id of a session, enrolment or placement added to record `id`: from its Idempotency-Key (a retry makes the same), else random. */
  childId(id: string, idempotencyKey: string | undefined): string {
    return idempotencyKey === undefined ? crypto.randomUUID() : deterministicUuid(`${employmentRecord.idNamespace}:child`, id, idempotencyKey);
  }

  private async complete(command: EmploymentRecordCommand): Promise<EmploymentRecordCommand> {
    if (command.type === 'EnrolInTraining') {
      const { state } = await this.pipeline.storeOf(trainingProvider).load(command.data.providerId);
      const provider = state === null ? null : { agencyCode: state.agencyCode, provinceCode: state.provinceCode, closed: state.status === 'CLOSED' };
      return { ...command, data: { ...command.data, provider } };
    }
    if (command.type === 'StartJob') {
      const { state } = await this.pipeline.storeOf(employer).load(command.data.employerId);
      return { ...command, data: { ...command.data, employerKnown: state !== null, employerClosed: state?.status === 'CLOSED' } };
    }
    return command;
  }
}
