import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { vietnamDateOf } from '@haidang/calendar';
import type { Principal } from '@haidang/request-context';
import { isHealthRelated, isOverdue, type ReferralState } from '../domain';
import { partyOf, type ReferralParty } from '../referral-access';
import { etagOf, referralNotFound, type HeaderSink } from '../referral-http';
import { ReferralRepository } from '../referral.repository';
import { ReferralResponseDto, type ConsentStateDto } from './referral.response.dto';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class GetReferralHttpController {
  constructor(@Inject(ReferralRepository) private readonly referrals: ReferralRepository) {}

  @Get(':id')
  @Authorize('referrals.read')
  @ApiOperation({ summary: 'A referral as your agency may see it (sender, current receiver, or an agency it passed through)' })
  @ApiOkResponse({ type: ReferralResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  @ApiNotFoundResponse({ description: 'No such referral, or your agency is no party to it' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink): Promise<ReferralResponseDto> {
    const { state, version } = await this.referrals.load(id);
    const party = state.status === 'NONE' ? undefined : partyOf(principal, state);
    if (party === undefined) throw referralNotFound();
    res.setHeader('ETag', etagOf(version));
    const reason = party === 'earlier-receiver' ? undefined : await this.referrals.revealReason(state);
    return viewFor(party, id, version, state, reason, vietnamDateOf(new Date()));
  }
}

/**
 * What each party sees (data minimisation): the sender everything it recorded; the current
 * receiver what the service needs, treatment-data flags only for a health-related service; an
 * earlier receiver where the referral went and how it stands.
 */
export function viewFor(party: ReferralParty, id: string, version: number, s: ReferralState, reason: string | null | undefined, today: string): ReferralResponseDto {
  const health = s.serviceType !== null && isHealthRelated(s.serviceType);
  const base = {
    id,
    version,
    yourRole: party,
    status: s.status,
    personId: s.personId ?? '',
    caseId: s.caseId,
    fromAgency: s.from?.code ?? '',
    toAgency: s.to?.code ?? null,
    serviceType: s.serviceType ?? '',
    urgency: s.urgency ?? '',
    proposedOn: s.proposedOn,
    sentOn: s.sentOn,
    dueOn: s.dueOn,
    overdue: s.overdue || isOverdue(s, today),
    acceptedOn: s.acceptedOn,
    declineReason: s.declineReason,
    outcome: s.outcome,
    closedOn: s.closedOn,
  };
  if (party === 'earlier-receiver') return base;
  const consent: ConsentStateDto | null =
    s.consent === null
      ? null
      : {
          given: s.consent.given,
          recordedOn: s.consent.recordedOn,
          services: [...s.consent.scope.services],
          ...(party === 'sender' || health ? { treatmentData: s.consent.scope.treatmentData } : {}),
          withdrawn: s.consentWithdrawn,
          withdrawnOn: s.consentWithdrawnOn,
        };
  return {
    ...base,
    ...(party === 'sender' ? { chain: s.chain.map((a) => a.code) } : {}),
    reason: reason ?? null,
    ...(party === 'sender' || health ? { sharesTreatmentData: s.sharesTreatmentData } : {}),
    consent,
    legalBasis: s.legalBasis,
  };
}
