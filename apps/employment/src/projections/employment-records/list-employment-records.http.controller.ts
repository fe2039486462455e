import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { READ_MODEL } from '../../tokens';
import { ListEmploymentRecordsQueryDto } from './list-employment-records.request.dto';
import { queryEmploymentRecords, scopeClause, type EmploymentRecordRecord } from './employment-records.read-model';

export const EMPLOYMENT_RECORDS_PAGE_SIZE = 20;

@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class ListEmploymentRecordsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /** Records within the caller's scope, from the read model: it lags the events by the projection's delay. */
  @Get()
  @Authorize('employment-records.read')
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, oldest opening first' })
  async list(@Query(validated(ListEmploymentRecordsQueryDto)) query: ListEmploymentRecordsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'employment-records.read', query.communeCode);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    const page = query.page ?? 1;
    const rows = await queryEmploymentRecords<EmploymentRecordRecord & { total: string }>(
      this.readModel,
      `SELECT *, count(*) OVER () AS total FROM employment_record_row WHERE ${where.join(' AND ')}
       ORDER BY opened_on, record_id LIMIT ${EMPLOYMENT_RECORDS_PAGE_SIZE} OFFSET ${(page - 1) * EMPLOYMENT_RECORDS_PAGE_SIZE}`,
      params,
    );
    // The window count comes with the rows; past the last page there are none to carry it.
    const total =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page === 1
          ? 0
          : Number(
              (
                await queryEmploymentRecords<{ n: string }>(
                  this.readModel,
                  `SELECT count(*) AS n FROM employment_record_row WHERE ${where.join(' AND ')}`,
                  params,
                )
              )[0]?.n ?? 0,
            );
    return {
      page,
      pageSize: EMPLOYMENT_RECORDS_PAGE_SIZE,
      total,
      items: rows.map((r) => ({
        id: r.record_id,
        communeCode: r.commune_code,
        provinceCode: r.province_code,
        status: r.status,
        need: r.need,
        referralService: r.referral_service,
        openedOn: r.opened_on,
        closedOn: r.closed_on,
        outcome: r.outcome,
        version: r.version,
      })),
    };
  }
}
