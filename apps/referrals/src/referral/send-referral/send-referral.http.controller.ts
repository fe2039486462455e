import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { problem, ProblemHttpException, validated } from '@haidang/http-platform';
import { CasesLookup } from '../cases-lookup';
import { ReferralCommands, type ReferralChange } from '../referral-commands';
import { ReferralChangeResponseDto } from '../referral.dto';
import { etagOf, type HeaderSink } from '../referral-http';
import { SendReferralRequestDto } from './send-referral.request.dto';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class SendReferralHttpController {
  constructor(
    @Inject(ReferralCommands) private readonly commands: ReferralCommands,
    @Inject(CasesLookup) private readonly cases: CasesLookup,
  ) {}

  @Post(':id/sending')
  @HttpCode(200)
  @Authorize('referrals.manage-outgoing')
  @ApiOperation({ summary: 'The sender sends a draft; what is given here replaces what the draft held. Cases is asked about the person first (422 person-erased, 403, 503 nothing sent)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the referral read: 428 when missing, 409 when stale' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key (and the same If-Match) records nothing and returns the first result' })
  @ApiOkResponse({ type: ReferralChangeResponseDto, description: '`ETag` is the new version; a broken rule is 422 (403 when your agency is not the party the step needs) with the rule in plain words' })
  async handle(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(SendReferralRequestDto)) body: SendReferralRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ReferralChange> {
    const result = await this.commands.execute(id, principal, ifMatch, rawKey, { type: 'SendReferral', data: { byAgency: principal.agency.code, toAgency: body.toAgency ?? null, consent: body.consent ? { given: body.consent.given, recordedOn: body.consent.recordedOn, scope: { services: [...body.consent.scope.services], treatmentData: body.consent.scope.treatmentData } } : null, legalBasis: body.legalBasis ? { decisionNo: body.legalBasis.decisionNo, decisionDate: body.legalBasis.decisionDate, lawArticle: body.legalBasis.lawArticle } : null, dueBy: body.dueBy ?? null } }, (state) => this.personStillReferable(state.personId));
    res.setHeader('ETag', etagOf(result.version));
    return result;
  }

  /**
   * As at creation: cases is asked with the caller's token whether the person may still be seen
   * and was not erased since the draft was made (404, 403, 422 person-erased, 503 with nothing sent).
   */
  private async personStillReferable(personId: string | null): Promise<void> {
    if (personId === null) return;
    const person = await this.cases.person(personId);
    if (person.erased) throw new ProblemHttpException(problem({ status: 422, code: 'person-erased', detail: 'This person’s data was erased on their request; the draft cannot be sent.' }));
  }
}
