import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { replay, type ReferralEvent } from '../domain';
import { partyOf } from '../referral-access';
import { EXAMPLE_REFERRAL_ID } from '../referral.dto';
import { referralNotFound } from '../referral-http';
import { ReferralRepository } from '../referral.repository';

export class ReferralHistoryEntryDto {
  @ApiProperty({ example: 0 }) readonly version!: number;
  @ApiProperty({ example: 'ReferralSent' }) readonly type!: string;
  @ApiProperty({ example: '2026-11-27T02:15:00.000Z', description: 'When the service recorded it' }) readonly recordedAt!: string;
  @ApiPropertyOptional({ example: 'dev:22-COMMUNE-06793', nullable: true, description: 'The officer (token subject)' }) readonly actor!: string | null;
  @ApiPropertyOptional({ example: '22-COMMUNE-06793', nullable: true, description: 'The officer’s agency' }) readonly agency!: string | null;
  @ApiPropertyOptional({ example: '22-EMPLOYMENT_CENTRE', nullable: true, description: 'Where it was sent or redirected to' }) readonly toAgency!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, description: 'The code of a decline reason or a completion outcome' }) readonly code!: string | null;
}

export class ReferralHistoryResponseDto {
  @ApiProperty({ example: EXAMPLE_REFERRAL_ID }) readonly id!: string;
  @ApiProperty({ type: [ReferralHistoryEntryDto] }) readonly items!: ReferralHistoryEntryDto[];
}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class GetReferralHistoryHttpController {
  constructor(@Inject(ReferralRepository) private readonly referrals: ReferralRepository) {}

  /** Who did what, when: from the events' metadata and codes. Free text (reason, notes) is never shown here. */
  @Get(':id/history')
  @Authorize('referrals.history')
  @ApiOperation({ summary: 'Who did what to the referral, and when (no free text)' })
  @ApiOkResponse({ type: ReferralHistoryResponseDto })
  @ApiNotFoundResponse({ description: 'No such referral, or your agency is no party to it' })
  async history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<ReferralHistoryResponseDto> {
    const events = await this.referrals.events(id);
    if (events.length === 0) throw referralNotFound();
    const state = replay(events.map((e) => ({ type: e.type, data: e.data }) as unknown as ReferralEvent));
    if (partyOf(principal, state) === undefined) throw referralNotFound();
    return {
      id,
      items: events.map((e) => {
        const data = e.data as { to?: { code?: unknown }; reason?: unknown; outcome?: unknown };
        const code = e.type === 'ReferralDeclined' ? data.reason : e.type === 'ReferralCompleted' ? data.outcome : undefined;
        return {
          version: Number(e.revision),
          type: e.type,
          recordedAt: e.created.toISOString(),
          actor: typeof e.metadata.actor === 'string' ? e.metadata.actor : null,
          agency: typeof e.metadata.agency === 'string' ? e.metadata.agency : null,
          toAgency: typeof data.to?.code === 'string' ? data.to.code : null,
          code: typeof code === 'string' ? code : null,
        };
      }),
    };
  }
}
