import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { queryRehabCases, readScopedPage, scopeClause, type RehabCaseRecord } from '../../projections/rehab-cases/rehab-cases.read-model';
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
    const { rows, total } = await readScopedPage<RehabCaseRecord>((sql, values) => queryRehabCases(this.readModel, sql, values), {
      table: 'rehab_case_row',
      where,
      params,
      orderBy: 'registered_on, case_id',
      page,
      pageSize: REHAB_CASES_PAGE_SIZE,
    });
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
