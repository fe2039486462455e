import { Inject, Injectable } from '@nestjs/common';
import { provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import type { EmploymentRecordEvent } from '../domain';
import { assertEmploymentRecordInScope } from '../employment-record-access';
import { employmentRecord } from '../employment-record.aggregate';
import type { OpenEmploymentRecordRequestDto } from './open-employment-record.request.dto';

/** A fact the service derives, not a rule of the decider: the commune must be one in force. */
const UNKNOWN_COMMUNE = { kind: 'DomainError', code: 'unknown-commune', message: 'no commune in force has that code' } as const;

/**
 * Opens a record directly (the centre or the commune, without a referral): scope first, then the id
 * from the agency and its Idempotency-Key (a retry lands on the same stream), then the pipeline.
 */
@Injectable()
export class OpenEmploymentRecordHandler {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async handle(
    request: OpenEmploymentRecordRequestDto,
    principal: Principal,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<EmploymentRecordEvent>> {
    const provinceCode = provinceOf(request.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    assertEmploymentRecordInScope(principal, 'employment-records.open', { communeCode: request.communeCode, provinceCode });
    const recordId = this.pipeline.storeOf(employmentRecord).newId(principal.agency.code, idempotencyKey);
    return this.pipeline.execute(
      employmentRecord,
      recordId,
      {
        type: 'OpenEmploymentRecord',
        data: {
          recordId,
          personId: request.personId,
          communeCode: request.communeCode,
          provinceCode,
          openedOn: request.openedOn,
          need: request.need,
          notNowReason: request.notNowReason ?? null,
          skills: request.skills ?? '',
          preferences: request.preferences ?? '',
          referral: null,
        },
      },
      { expected: 'new', idempotencyKey, request: { route: 'open-employment-record', body: { ...request } } },
    );
  }
}

/** The id a record opened under `idempotencyKey` by `agencyCode` gets (demo data and tests find records by it). */
export const employmentRecordIdFor = (agencyCode: string, idempotencyKey: string): string =>
  deterministicUuid(employmentRecord.idNamespace, agencyCode, idempotencyKey);

/** The id of the record opened from an accepted referral: one record per referral, whoever delivers the event. */
export const employmentRecordIdOfReferral = (referralId: string): string => deterministicUuid(employmentRecord.idNamespace, 'referral', referralId);
