import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { EmploymentRecordCommand, EmploymentRecordEvent } from './domain';
import { assertEmploymentRecordInScope } from './employment-record-access';
import { employmentRecord } from './employment-record.aggregate';

/**
 * Every change to an existing employment record, whoever sends it (HTTP route, process manager): the kit's
 * one pipeline (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's scope.
 */
@Injectable()
export class EmploymentRecordCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: EmploymentRecordCommand,
  ): Promise<CommandResult<EmploymentRecordEvent>> {
    return this.pipeline.execute(employmentRecord, id, command, {
      ...conditions,
      authorize: (state) => assertEmploymentRecordInScope(principal, 'employment-records.manage', state.communeCode),
    });
  }
}
