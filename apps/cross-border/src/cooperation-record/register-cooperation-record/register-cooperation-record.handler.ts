import { Inject, Injectable } from '@nestjs/common';
import { provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import type { CooperationRecordEvent } from '../domain';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { cooperationRecord } from '../cooperation-record.aggregate';
import type { RegisterCooperationRecordRequestDto } from './register-cooperation-record.request.dto';

/** A fact the service derives, not a rule of the decider: the commune must be one in force. */
const UNKNOWN_COMMUNE = { kind: 'DomainError', code: 'unknown-commune', message: 'no commune in force has that code' } as const;

/**
 * Registers a cooperation record: scope first (the caller's jurisdiction must cover the commune), then the
 * id from the agency and its Idempotency-Key (a retry lands on the same stream and the store answers
 * it from its record), then the pipeline.
 */
@Injectable()
export class RegisterCooperationRecordHandler {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async handle(
    request: RegisterCooperationRecordRequestDto,
    principal: Principal,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<CooperationRecordEvent>> {
    const provinceCode = provinceOf(request.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    assertCooperationRecordInScope(principal, 'records.register', request.communeCode);
    const recordId = this.pipeline.storeOf(cooperationRecord).newId(principal.agency.code, idempotencyKey);
    return this.pipeline.execute(
      cooperationRecord,
      recordId,
      {
        type: 'RegisterCooperationRecord',
        data: { recordId, communeCode: request.communeCode, provinceCode, registeredOn: request.registeredOn, note: request.note },
      },
      // The request as sent is what a retry must repeat.
      { expected: 'new', idempotencyKey, request: { route: 'register-cooperation-record', body: { ...request } } },
    );
  }
}

/** The id a registration under `idempotencyKey` by `agencyCode` gets (demo data and tests find records by it). */
export const cooperationRecordIdFor = (agencyCode: string, idempotencyKey: string): string =>
  deterministicUuid(cooperationRecord.idNamespace, agencyCode, idempotencyKey);
