import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { Clock } from '@haidang/decider';
import type { EventStore } from '@haidang/event-store';
import { isProvisionalBetween, vietnamDateOf } from '@haidang/calendar';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, problemOf } from '@haidang/service-kit';
import { isHealthRelated, isOverdue, isPending, type ReferralState } from '../domain';
import { partyOf, receiverAccess, receiverGroundOf, type ReferralParty } from '../referral-access';
import { referralErrors } from '../referral-errors.http';
import { codedReason, revealReason, seesReasonText } from '../referral-reason';
import { referral } from '../referral.aggregate';
import { CLOCK, EVENT_STORE, PROTECTOR } from '../../tokens';
import { ReferralResponseDto, type ConsentStateDto, type LegalBasisViewDto } from './referral.response.dto';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class GetReferralHttpController {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id')
  @Authorize('referrals.read')
  @ApiOperation({ summary: 'A referral as your agency may see it (sender, current receiver, or an agency it passed through)' })
  @ApiOkResponse({ type: ReferralResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  @ApiNotFoundResponse({ description: 'No such referral, or your agency is no party to it' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ReferralResponseDto> {
    const { state, version } = await this.pipeline.storeOf(referral).load(id);
    const party = state.status === 'NONE' ? undefined : partyOf(principal, state);
    // Also the answer to an agency that is no party to the referral: its existence is not revealed.
    if (party === undefined) throw problemOf({ kind: 'not-found' }, referralErrors);
    res.setHeader('ETag', etagOf(version));
    const now = this.clock();
    // The reason is decrypted only for a party that will see it, and its reading is recorded
    // (libs/audit) before it is shown: free text about a person is their personal data.
    const shown = visibilityOf(party, state) !== 'status' && seesReasonText(party, state) && state.personId !== null && state.reason !== null;
    if (shown) await recordAccess(this.store, { subjectId: state.personId as string, action: 'read', purpose: 'referral-review', fields: ['reason'] }, now);
    const reason = shown ? await revealReason(this.protector, state) : undefined;
    return viewFor(party, id, version, state, reason, vietnamDateOf(now));
  }
}

/**
 * How much of a referral a party sees: `full` (the sender), `service` (the current receiver, what
 * the service needs), `status` (an earlier receiver, or a non-state receiver whose only ground was a
 * consent since withdrawn: where it went and how it stands, not why).
 */
export function visibilityOf(party: ReferralParty, s: ReferralState): 'full' | 'service' | 'status' {
  if (party === 'sender') return 'full';
  if (party === 'earlier-receiver') return 'status';
  return receiverAccess(receiverGroundOf(s)).lapsed ? 'status' : 'service';
}

/**
 * What each party sees (data minimisation; the rules are in the service README, "Who sees what"):
 * the sender everything it recorded; the current receiver what the service needs: of the consent
 * only what concerns its service, treatment-data flags only for a health-related service, the case
 * id and the decision number only where `receiverAccess` allows, the free-text reason only where it
 * allows that (`reason` null otherwise: a non-state receiver without a ground covering treatment
 * data), the coded reason to both; an earlier receiver (and a lapsed non-state receiver) where the
 * referral went and how it stands.
 */
export function viewFor(
  party: ReferralParty,
  id: string,
  version: number,
  s: ReferralState,
  reason: string | null | undefined,
  today: string,
): ReferralResponseDto {
  const health = s.serviceType !== null && isHealthRelated(s.serviceType);
  const visibility = visibilityOf(party, s);
  const seesCase = visibility === 'full' || (visibility === 'service' && receiverAccess(receiverGroundOf(s)).seesCase);
  const base = {
    id,
    version,
    yourRole: party,
    status: s.status,
    personId: s.personId ?? '',
    ...(seesCase ? { caseId: s.caseId } : {}),
    fromAgency: s.from?.code ?? '',
    toAgency: s.to?.code ?? null,
    serviceType: s.serviceType ?? '',
    urgency: s.urgency ?? '',
    proposedOn: s.proposedOn,
    sentOn: s.sentOn,
    dueOn: s.dueOn,
    // Counted over a year whose holidays are not officially decided yet (libs/calendar): may move.
    dueOnProvisional: s.sentOn !== null && s.dueOn !== null && isProvisionalBetween(s.sentOn, s.dueOn),
    // Only while waiting: a mark stays in the state after the answer, but an answered referral is not late.
    overdue: isPending(s.status) && (s.overdue || isOverdue(s, today)),
    acceptedOn: s.acceptedOn,
    declineReason: s.declineReason,
    outcome: s.outcome,
    closedOn: s.closedOn,
  };
  if (party === 'earlier-receiver') return base;
  // The receiver whose ground lapsed: told that, and when, so it stops using the data.
  if (visibility === 'status') return { ...base, consent: { withdrawn: s.consentWithdrawn, withdrawnOn: s.consentWithdrawnOn } };
  const sender = visibility === 'full';
  const consent: ConsentStateDto | null =
    s.consent === null
      ? null
      : sender
        ? {
            given: s.consent.given,
            recordedOn: s.consent.recordedOn,
            services: [...s.consent.scope.services],
            treatmentData: s.consent.scope.treatmentData,
            withdrawn: s.consentWithdrawn,
            withdrawnOn: s.consentWithdrawnOn,
          }
        : {
            given: s.consent.given,
            recordedOn: s.consent.recordedOn,
            coversService: s.serviceType !== null && s.consent.scope.services.includes(s.serviceType),
            ...(health ? { treatmentData: s.consent.scope.treatmentData } : {}),
            withdrawn: s.consentWithdrawn,
            withdrawnOn: s.consentWithdrawnOn,
          };
  const legalBasis: LegalBasisViewDto | null =
    s.legalBasis === null ? null : seesCase ? { ...s.legalBasis } : { decisionDate: s.legalBasis.decisionDate, lawArticle: s.legalBasis.lawArticle };
  return {
    ...base,
    ...(sender ? { chain: s.chain.map((a) => a.code) } : {}),
    reason: reason ?? null,
    ...codedReason(s.reasonCode),
    ...(sender || health ? { sharesTreatmentData: s.sharesTreatmentData } : {}),
    consent,
    legalBasis,
  };
}
