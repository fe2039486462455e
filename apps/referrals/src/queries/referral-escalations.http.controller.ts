import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { queryReferrals } from '../projections/referrals/referrals.read-model';
import { PENDING_STATUSES } from '../referral/domain';
import { READ_MODEL } from '../tokens';

export const ESCALATIONS_PAGE_SIZE = 50;

export class ListEscalationsQueryDto {
  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}

/** One escalated referral: ids, codes and dates only (no person, no free text). */
export interface ReferralEscalationItem {
  readonly id: string;
  readonly serviceType: string;
  readonly urgency: string;
  readonly status: string;
  /** The receiver that let the due date pass (the current receiver). */
  readonly toAgency: string | null;
  readonly sentOn: string | null;
  readonly dueOn: string | null;
  /** The day the deadline checker marked it overdue. */
  readonly markedOverdueOn: string | null;
  readonly version: number;
}

interface EscalationRow {
  referral_id: string;
  service_type: string;
  urgency: string;
  status: string;
  to_agency: string | null;
  sent_on: string | null;
  due_on: string | null;
  overdue_marked_on: string | null;
  version: number;
  total: string;
}

/**
 * The escalation of overdue referrals to the sender's supervisors: the referrals the principal's
 * agency sent that the deadline checker marked overdue and that are still waiting for an answer.
 * From the read model (lags the events by the projection). A receiver's overdue items are in its
 * own incoming list (`overdue=true`); this list is the sender's, so only the sender agency sees it.
 */
@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referral-escalations')
export class ReferralEscalationsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get()
  @Authorize('referrals.escalations')
  @ApiOperation({ summary: 'Your agency’s outgoing referrals marked overdue and still pending (supervisors), oldest due date first' })
  @ApiOkResponse({
    description: '`{ page, pageSize, total, items: [{ id, serviceType, urgency, status, toAgency, sentOn, dueOn, markedOverdueOn, version }] }`',
  })
  async list(@Query(validated(ListEscalationsQueryDto)) query: ListEscalationsQueryDto, @CurrentPrincipal() principal: Principal) {
    const page = query.page ?? 1;
    const rows = await queryReferrals<EscalationRow>(
      this.readModel,
      `SELECT referral_id, service_type, urgency, status, to_agency, sent_on, due_on, overdue_marked_on, version, count(*) OVER () AS total
         FROM referral_row WHERE from_agency = $1 AND overdue AND status = ANY($2)
         ORDER BY due_on, referral_id LIMIT ${ESCALATIONS_PAGE_SIZE} OFFSET ${(page - 1) * ESCALATIONS_PAGE_SIZE}`,
      [principal.agency.code, PENDING_STATUSES],
    );
    const total =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page === 1
          ? 0
          : Number(
              (
                await queryReferrals<{ n: string }>(
                  this.readModel,
                  'SELECT count(*) AS n FROM referral_row WHERE from_agency = $1 AND overdue AND status = ANY($2)',
                  [principal.agency.code, PENDING_STATUSES],
                )
              )[0]?.n ?? 0,
            );
    const items: ReferralEscalationItem[] = rows.map((r) => ({
      id: r.referral_id,
      serviceType: r.service_type,
      urgency: r.urgency,
      status: r.status,
      toAgency: r.to_agency,
      sentOn: r.sent_on,
      dueOn: r.due_on,
      markedOverdueOn: r.overdue_marked_on,
      version: r.version,
    }));
    return { page, pageSize: ESCALATIONS_PAGE_SIZE, total, items };
  }
}
