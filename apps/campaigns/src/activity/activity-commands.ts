import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { ActivityCommand, ActivityEvent } from './domain';
import { assertActivityInScope } from './activity-access';
import { activity } from './activity.aggregate';

/**
 * Every change to an existing activity, whoever sends it (HTTP route, process manager): the kit's
 * one pipeline (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's scope.
 */
@Injectable()
export class ActivityCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: ActivityCommand,
  ): Promise<CommandResult<ActivityEvent>> {
    return this.pipeline.execute(activity, id, command, {
      ...conditions,
      authorize: (state) => assertActivityInScope(principal, 'activities.manage', state.communeCode),
    });
  }
}
