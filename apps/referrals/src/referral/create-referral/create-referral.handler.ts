import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { CasesLookup } from '../cases-lookup';
import type { ReferralCommand, ReferralEvent } from '../domain';
import { ensureSupportModelReceives, type SupportModelRegister } from '../support-model-receivers';
import { SUPPORT_MODEL_REGISTER } from '../../tokens';
import { referral } from '../referral.aggregate';
import { consentOf, legalBasisOf } from '../referral.routes';
import type { CreateReferralRequestDto } from './create-referral.request.dto';

/**
 * Creates a referral from the caller's agency: sent at once (`CreateReferral`) or kept as a draft
 * (`ProposeReferral`). Before deciding, the cases service is asked with the caller's own token
 * whether the person (and the case) exist and may be seen by the caller: an agency refers only
 * whom it may see. Nothing is appended unless cases answered yes. A receiver of type SUPPORT_MODEL
 * must be in the register of support models and active (422 unknown-support-model / support-model-inactive).
 */
@Injectable()
export class CreateReferralHandler {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(CasesLookup) private readonly cases: CasesLookup,
    @Inject(SUPPORT_MODEL_REGISTER) private readonly supportModels: SupportModelRegister,
  ) {}

  async handle(request: CreateReferralRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<ReferralEvent>> {
    await this.cases.referablePerson(request.personId, 'they cannot be referred');
    if (request.caseId !== undefined) await this.cases.caseOfPerson(request.caseId, request.personId);

    // A retry with the same key lands on the same stream (referralIdFor); the store answers it from its record.
    const referralId = this.pipeline.storeOf(referral).newId(principal.agency.code, idempotencyKey);
    const details = {
      referralId,
      personId: request.personId,
      caseId: request.caseId ?? null,
      fromAgency: principal.agency.code,
      serviceType: request.serviceType,
      reason: request.reason,
      reasonCode: request.reasonCode ?? null,
      urgency: request.urgency,
      sharesTreatmentData: request.sharesTreatmentData ?? false,
      consent: consentOf(request.consent),
      legalBasis: legalBasisOf(request.legalBasis),
    };
    const command: ReferralCommand =
      request.draft === true
        ? { type: 'ProposeReferral', data: { ...details, toAgency: request.toAgency ?? null } }
        : { type: 'CreateReferral', data: { ...details, toAgency: request.toAgency ?? '', dueBy: request.dueBy ?? null } };
    // A support model must be in campaigns' register and active (422); not asked again on a retry under the key.
    return this.pipeline.execute(referral, referralId, command, {
      expected: 'new',
      idempotencyKey,
      precheck: () => ensureSupportModelReceives(this.supportModels, request.toAgency),
    });
  }
}

/** The id of the referral an agency creates under an Idempotency-Key (demo data uses it to find what it wrote). */
export function referralIdFor(agencyCode: string, idempotencyKey: string): string {
  return deterministicUuid(referral.idNamespace, agencyCode, idempotencyKey);
}
