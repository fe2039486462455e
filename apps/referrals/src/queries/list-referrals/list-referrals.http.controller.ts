import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { isProvisionalBetween, vietnamDateOf } from '@haidang/calendar';
import type { Clock } from '@haidang/decider';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { OVERDUE_SQL, queryReferrals, type ReferralRecord } from '../../projections/referrals/referrals.read-model';
import { CLOCK, READ_MODEL } from '../../tokens';
import { receiverAccess } from '../../referral/referral-access';
import { codedReason } from '../../referral/referral-reason';
import { ListReferralsQueryDto } from './list-referrals.request.dto';

export const REFERRALS_PAGE_SIZE = 20;

function receiverAccessOf(r: ReferralRecord) {
  return receiverAccess({
    receiver: r.to_agency ?? '',
    sharesTreatmentData: r.shares_treatment_data,
    hasLegalBasis: r.has_legal_basis,
    consentCoversService: r.consent_covers_service,
    consentCoversTreatmentData: r.consent_covers_treatment_data,
    consentWithdrawn: r.consent_withdrawn,
  });
}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class ListReferralsHttpController {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Your agency's inbox or outbox from the read model (ids, agency codes, codes, status, dates; no
   * personal field, no free text). Lags the events by the projection. In the inbox the case id is
   * there only where the receiver may see it (`receiverAccess`, as in the single read), and the coded
   * reason unless the receiver's ground lapsed (it then sees where the referral stands, not why).
   */
  @Get()
  @Authorize('referrals.list')
  @ApiOperation({ summary: 'Your agency’s incoming or outgoing referrals, oldest first, 20 a page' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`' })
  async list(@Query(validated(ListReferralsQueryDto)) query: ListReferralsQueryDto, @CurrentPrincipal() principal: Principal) {
    const params: unknown[] = [vietnamDateOf(this.clock()), principal.agency.code];
    // Incoming is the current receiver's: a draft is in its sender's outbox only.
    const where = [query.direction === 'incoming' ? `to_agency = $2 AND status <> 'DRAFT'` : 'from_agency = $2'];
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    if (query.overdue !== undefined) where.push(query.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
    const page = query.page ?? 1;
    const sql = `SELECT *, ${OVERDUE_SQL} AS overdue_now, count(*) OVER () AS total FROM referral_row WHERE ${where.join(' AND ')}
                 ORDER BY coalesce(sent_on, proposed_on), referral_id LIMIT ${REFERRALS_PAGE_SIZE} OFFSET ${(page - 1) * REFERRALS_PAGE_SIZE}`;
    const rows = await queryReferrals<ReferralRecord & { overdue_now: boolean; total: string }>(this.readModel, sql, params);
    // The window count comes with the rows; past the last page there are none to carry it (the
    // count names today's parameter too, which PostgreSQL needs typed even where no filter uses it).
    const total =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page === 1
          ? 0
          : Number(
              (
                await queryReferrals<{ n: string }>(
                  this.readModel,
                  `SELECT count(*) AS n, bool_or(${OVERDUE_SQL}) AS any_overdue FROM referral_row WHERE ${where.join(' AND ')}`,
                  params,
                )
              )[0]?.n ?? 0,
            );
    return {
      page,
      pageSize: REFERRALS_PAGE_SIZE,
      total,
      items: rows.map((r) => {
        const access = query.direction === 'outgoing' ? undefined : receiverAccessOf(r);
        return {
          id: r.referral_id,
          personId: r.person_id,
          // The sender sees its own; a receiver as in the single read (receiverAccess): absent when not shared.
          ...(access === undefined || access.seesCase ? { caseId: r.case_id } : {}),
          fromAgency: r.from_agency,
          toAgency: r.to_agency,
          serviceType: r.service_type,
          ...(access === undefined || !access.lapsed ? codedReason(r.reason_code) : {}),
          urgency: r.urgency,
          status: r.status,
          proposedOn: r.proposed_on,
          sentOn: r.sent_on,
          dueOn: r.due_on,
          // Counted over a year without an official holiday decision (libs/calendar): may move.
          dueOnProvisional: r.sent_on !== null && r.due_on !== null && isProvisionalBetween(r.sent_on, r.due_on),
          overdue: r.overdue_now,
          acceptedOn: r.accepted_on,
          closedOn: r.closed_on,
          consentWithdrawn: r.consent_withdrawn,
          version: r.version,
        };
      }),
    };
  }
}
