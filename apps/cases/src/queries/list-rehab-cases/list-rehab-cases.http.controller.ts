import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { queryRehabCases, scopeClause, type RehabCaseRecord } from '../../projections/rehab-cases/rehab-cases.read-model';
import { READ_MODEL } from '../../tokens';
import { ListRehabCasesQueryDto } from './list-rehab-cases.request.dto';

export const REHAB_CASES_PAGE_SIZE = 20;

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class ListRehabCasesHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /**
   * Cases within the caller's scope, from the read model (ids, codes, status and dates; no personal
   * field, so nothing is revealed and no access is recorded). Lags the events by the projection.
   */
  @Get()
  @Authorize('rehab-cases.read')
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, oldest registration first' })
  async list(@Query(validated(ListRehabCasesQueryDto)) query: ListRehabCasesQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'rehab-cases.read', query.communeCode);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    if (query.form !== undefined) where.push(`form = $${params.push(query.form)}`);
    const page = query.page ?? 1;
    const sql = `SELECT *, count(*) OVER () AS total FROM rehab_case_row WHERE ${where.join(' AND ')}
                 ORDER BY registered_on, case_id LIMIT ${REHAB_CASES_PAGE_SIZE} OFFSET ${(page - 1) * REHAB_CASES_PAGE_SIZE}`;
    const rows = await queryRehabCases<RehabCaseRecord & { total: string }>(this.readModel, sql, params);
    // The window count comes with the rows; past the last page there are none to carry it.
    const total =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page === 1
          ? 0
          : Number(
              (await queryRehabCases<{ n: string }>(this.readModel, `SELECT count(*) AS n FROM rehab_case_row WHERE ${where.join(' AND ')}`, params))[0]?.n ??
                0,
            );
    return {
      page,
      pageSize: REHAB_CASES_PAGE_SIZE,
      total,
      items: rows.map((r) => ({
        id: r.case_id,
        personId: r.person_id,
        communeCode: r.commune_code,
        status: r.status,
        form: r.form,
        regime: r.regime,
        registeredOn: r.registered_on,
        startedOn: r.started_on,
        expectedEndOn: r.expected_end_on,
        completedOn: r.completed_on,
        postRehabEndsOn: r.post_rehab_ends_on,
        closedOn: r.closed_on,
        version: r.version,
      })),
    };
  }
}
