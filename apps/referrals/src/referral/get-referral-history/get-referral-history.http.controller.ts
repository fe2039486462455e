import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import type { RecordedEvent } from '@haidang/event-store';
import { CommandPipeline, problemOf } from '@haidang/service-kit';
import { evolve, initialState, replay, type ReferralEvent } from '../domain';
import { partyOf, receiverAccess, receiverGroundOf, type ReferralParty } from '../referral-access';
import { referralErrors } from '../referral-errors.http';
import { referral } from '../referral.aggregate';
import { EXAMPLE_REFERRAL_ID } from '../referral.dto';

export class ReferralHistoryEntryDto {
  @ApiProperty({ example: 0 }) readonly version!: number;
  @ApiProperty({ example: 'ReferralSent' }) readonly type!: string;
  @ApiProperty({ example: '2026-11-27T02:15:00.000Z', description: 'When the service recorded it' }) readonly recordedAt!: string;
  @ApiPropertyOptional({ example: 'dev:22-COMMUNE-06793', nullable: true, description: 'The officer (token subject); only on your own agency’s steps' })
  readonly actor!: string | null;
  @ApiPropertyOptional({ example: '22-COMMUNE-06793', nullable: true, description: 'The officer’s agency' }) readonly agency!: string | null;
  @ApiPropertyOptional({ example: '22-EMPLOYMENT_CENTRE', nullable: true, description: 'Where it was sent or redirected to' }) readonly toAgency!:
    string | null;
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
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  /**
   * Who did what, when: from the events' metadata and codes. Free text (reason, notes) is never
   * shown here. Each party sees its part (`historyFor`), and the officer (`actor`) only of its own
   * agency's steps.
   */
  @Get(':id/history')
  @Authorize('referrals.history')
  @ApiOperation({ summary: 'Who did what to the referral, and when (no free text); each party sees its part' })
  @ApiOkResponse({ type: ReferralHistoryResponseDto })
  @ApiNotFoundResponse({ description: 'No such referral, or your agency is no party to it' })
  async history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<ReferralHistoryResponseDto> {
    const events = await this.pipeline.storeOf(referral).events(id);
    const party = events.length === 0 ? undefined : partyOf(principal, replay(events.map(asReferralEvent)));
    if (party === undefined) throw problemOf({ kind: 'not-found' }, referralErrors);
    return { id, items: historyFor(principal.agency.code, party, events) };
  }
}

const asReferralEvent = (e: RecordedEvent): ReferralEvent => ({ type: e.type, data: e.data }) as unknown as ReferralEvent;

/**
 * The part of the history a party sees, as `viewFor` does for the read:
 * - the sender: every event;
 * - a receiver: from the event that made it the receiver (nothing before it, so no earlier chain
 *   beyond the sender: a redirect that brought it shows neither who redirected nor the officer);
 *   an earlier receiver up to and including its own redirect, and later only a withdrawal of consent
 *   (it binds whoever still holds the data); a non-state receiver whose only ground was a consent
 *   since withdrawn (`lapsed`) up to and including the withdrawal, and later only its own steps;
 * - everyone: `actor` (the officer) only on its own agency's steps; for the others the agency.
 */
export function historyFor(agency: string, party: ReferralParty, events: readonly RecordedEvent[]): ReferralHistoryEntryDto[] {
  const entries: ReferralHistoryEntryDto[] = [];
  let state = initialState();
  // For a receiver: before it received, received, passed on (or its ground lapsed).
  let phase: 'before' | 'holding' | 'after' = party === 'sender' ? 'holding' : 'before';
  for (const e of events) {
    const before = state;
    state = evolve(state, asReferralEvent(e));
    const entry = entryOf(e, agency);
    if (party === 'sender') {
      entries.push(entry);
      continue;
    }
    const receivedNow = (e.type === 'ReferralSent' || e.type === 'ReferralRedirected') && state.to?.code === agency && before.to?.code !== agency;
    if (phase === 'before' && receivedNow) {
      phase = 'holding';
      // Brought by a redirect: the earlier receiver that passed it on is part of the chain it does not see.
      entries.push(e.type === 'ReferralRedirected' ? { ...entry, actor: null, agency: null } : entry);
      continue;
    }
    if (phase === 'holding') {
      entries.push(entry);
      const passedOn = e.type === 'ReferralRedirected' && state.to?.code !== agency;
      const lapsed = e.type === 'ConsentWithdrawn' && state.to?.code === agency && receiverAccess(receiverGroundOf(state)).lapsed;
      if (passedOn || lapsed) phase = 'after';
      continue;
    }
    if (phase === 'after' && (e.type === 'ConsentWithdrawn' || entry.agency === agency)) entries.push(entry);
  }
  return entries;
}

function entryOf(e: RecordedEvent, agency: string): ReferralHistoryEntryDto {
  const data = e.data as { to?: { code?: unknown }; reason?: unknown; outcome?: unknown };
  const code = e.type === 'ReferralDeclined' ? data.reason : e.type === 'ReferralCompleted' ? data.outcome : undefined;
  const by = typeof e.metadata.agency === 'string' ? e.metadata.agency : null;
  return {
    version: Number(e.revision),
    type: e.type,
    recordedAt: e.created.toISOString(),
    actor: by === agency && typeof e.metadata.actor === 'string' ? e.metadata.actor : null,
    agency: by,
    toAgency: typeof data.to?.code === 'string' ? data.to.code : null,
    code: typeof code === 'string' ? code : null,
  };
}
