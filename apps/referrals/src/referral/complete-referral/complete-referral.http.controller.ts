import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { ReferralCommands, type ReferralChange } from '../referral-commands';
import { ReferralChangeResponseDto } from '../referral.dto';
import { etagOf, type HeaderSink } from '../referral-http';
import { CompleteReferralRequestDto } from './complete-referral.request.dto';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class CompleteReferralHttpController {
  constructor(@Inject(ReferralCommands) private readonly commands: ReferralCommands) {}

  @Post(':id/completion')
  @HttpCode(200)
  @Authorize('referrals.respond')
  @ApiOperation({ summary: 'The receiver closes an accepted referral with its outcome' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the referral read: 428 when missing, 409 when stale' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key (and the same If-Match) records nothing and returns the first result' })
  @ApiOkResponse({ type: ReferralChangeResponseDto, description: '`ETag` is the new version; a broken rule is 422 (403 when your agency is not the party the step needs) with the rule in plain words' })
  async handle(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(CompleteReferralRequestDto)) body: CompleteReferralRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ReferralChange> {
    const result = await this.commands.execute(id, principal, ifMatch, rawKey, { type: 'CompleteReferral', data: { byAgency: principal.agency.code, outcome: body.outcome, note: body.note ?? null } });
    res.setHeader('ETag', etagOf(result.version));
    return result;
  }
}
