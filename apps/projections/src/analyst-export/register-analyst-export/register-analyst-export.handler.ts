import { Inject, Injectable } from '@nestjs/common';
import { provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import type { AnalystExportEvent } from '../domain';
import { assertAnalystExportInScope } from '../analyst-export-access';
import { analystExport } from '../analyst-export.aggregate';
import type { RegisterAnalystExportRequestDto } from './register-analyst-export.request.dto';

/** A fact the service derives, not a rule of the decider: the commune must be one in force. */
const UNKNOWN_COMMUNE = { kind: 'DomainError', code: 'unknown-commune', message: 'no commune in force has that code' } as const;

/**
 * Registers a analyst export: scope first (the caller's jurisdiction must cover the commune), then the
 * id from the agency and its Idempotency-Key (a retry lands on the same stream and the store answers
 * it from its record), then the pipeline.
 */
@Injectable()
export class RegisterAnalystExportHandler {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async handle(request: RegisterAnalystExportRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<AnalystExportEvent>> {
    const provinceCode = provinceOf(request.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    assertAnalystExportInScope(principal, 'exports.register', request.communeCode);
    const recordId = this.pipeline.storeOf(analystExport).newId(principal.agency.code, idempotencyKey);
    return this.pipeline.execute(
      analystExport,
      recordId,
      {
        type: 'RegisterAnalystExport',
        data: { recordId, communeCode: request.communeCode, provinceCode, registeredOn: request.registeredOn, note: request.note },
      },
      // The request as sent is what a retry must repeat.
      { expected: 'new', idempotencyKey, request: { route: 'register-analyst-export', body: { ...request } } },
    );
  }
}

/** The id a registration under `idempotencyKey` by `agencyCode` gets (demo data and tests find records by it). */
export const analystExportIdFor = (agencyCode: string, idempotencyKey: string): string =>
  deterministicUuid(analystExport.idNamespace, agencyCode, idempotencyKey);
