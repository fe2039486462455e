import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { AnalystExportCommand, AnalystExportEvent } from './domain';
import { assertAnalystExportInScope } from './analyst-export-access';
import { analystExport } from './analyst-export.aggregate';

/**
 * Every change to an existing analyst export, whoever sends it (HTTP route, process manager): the kit's
 * one pipeline (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's scope.
 */
@Injectable()
export class AnalystExportCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: AnalystExportCommand,
  ): Promise<CommandResult<AnalystExportEvent>> {
    return this.pipeline.execute(analystExport, id, command, {
      ...conditions,
      authorize: (state) => assertAnalystExportInScope(principal, 'exports.manage', state.communeCode),
    });
  }
}
