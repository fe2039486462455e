import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { CooperationRecordCommand, CooperationRecordEvent } from './domain';
import { assertCooperationRecordInScope } from './cooperation-record-access';
import { cooperationRecord } from './cooperation-record.aggregate';

/**
 * Every change to an existing cooperation record, whoever sends it (HTTP route, process manager): the kit's
 * one pipeline (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's scope.
 */
@Injectable()
export class CooperationRecordCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: CooperationRecordCommand,
  ): Promise<CommandResult<CooperationRecordEvent>> {
    return this.pipeline.execute(cooperationRecord, id, command, {
      ...conditions,
      authorize: (state) => assertCooperationRecordInScope(principal, 'records.manage', state.communeCode),
    });
  }
}
