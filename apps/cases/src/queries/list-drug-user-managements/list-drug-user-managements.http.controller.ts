import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { queryDrugUserManagements, type DrugUserManagementRecord } from '../../projections/drug-user-managements/drug-user-managements.read-model';
import { readScopedPage, scopeClause } from '../../projections/rehab-cases/rehab-cases.read-model';
import { READ_MODEL } from '../../tokens';
import { ListDrugUserManagementsQueryDto } from './list-drug-user-managements.request.dto';

export const DRUG_USER_MANAGEMENTS_PAGE_SIZE = 20;

@ApiTags('drug-user-managements')
@ApiBearerAuth()
@Controller('api/v1/drug-user-managements')
export class ListDrugUserManagementsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /**
   * Managements of illegal drug users within the caller's scope (the person's residence commune or
   * its province), from the read model: ids, codes, status and dates, no personal field. Lags the
   * events by the projection.
   */
  @Get()
  @Authorize('drug-user-managements.list')
  @ApiOperation({
    summary: 'Lists managements of illegal drug users (Law 73/2021 Art. 23–26) in your scope',
    description: 'Oldest start first, 20 a page; `endsOn` is the end of the running term (moved by a positive test).',
  })
  @ApiOkResponse({
    description:
      '`{ page, pageSize, total, items: [{ id, personId, rehabCaseId, communeCode, status, regime, decidedOn, startsOn, endsOn, endedOn, terminationReason, version }] }`',
  })
  async list(@Query(validated(ListDrugUserManagementsQueryDto)) query: ListDrugUserManagementsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'drug-user-managements.list', query.communeCode);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    const page = query.page ?? 1;
    const { rows, total } = await readScopedPage<DrugUserManagementRecord>((sql, values) => queryDrugUserManagements(this.readModel, sql, values), {
      table: 'drug_user_management_row',
      where,
      params,
      orderBy: 'starts_on, management_id',
      page,
      pageSize: DRUG_USER_MANAGEMENTS_PAGE_SIZE,
    });
    return {
      page,
      pageSize: DRUG_USER_MANAGEMENTS_PAGE_SIZE,
      total,
      items: rows.map((r) => ({
        id: r.management_id,
        personId: r.person_id,
        rehabCaseId: r.rehab_case_id,
        communeCode: r.commune_code,
        status: r.status,
        regime: r.regime,
        decidedOn: r.decided_on,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        endedOn: r.ended_on,
        terminationReason: r.termination_reason,
        version: r.version,
      })),
    };
  }
}
