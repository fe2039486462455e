import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { READ_MODEL } from '../../tokens';
import { ListExportsQueryDto } from './list-exports.request.dto';
import { queryExports, scopeClause, type AnalystExportRecord } from './exports.read-model';

export const EXPORTS_PAGE_SIZE = 20;

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/exports')
export class ListExportsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /** Records within the caller's scope, from the read model: it lags the events by the projection's delay. */
  @Get()
  @Authorize('exports.read')
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, oldest registration first' })
  async list(@Query(validated(ListExportsQueryDto)) query: ListExportsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'exports.read', query.communeCode);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    const page = query.page ?? 1;
    const rows = await queryExports<AnalystExportRecord & { total: string }>(
      this.readModel,
      `SELECT *, count(*) OVER () AS total FROM analyst_export_row WHERE ${where.join(' AND ')}
       ORDER BY registered_on, record_id LIMIT ${EXPORTS_PAGE_SIZE} OFFSET ${(page - 1) * EXPORTS_PAGE_SIZE}`,
      params,
    );
    // The window count comes with the rows; past the last page there are none to carry it.
    const total =
      rows[0] !== undefined
        ? Number(rows[0].total)
        : page === 1
          ? 0
          : Number(
              (await queryExports<{ n: string }>(this.readModel, `SELECT count(*) AS n FROM analyst_export_row WHERE ${where.join(' AND ')}`, params))[0]?.n ??
                0,
            );
    return {
      page,
      pageSize: EXPORTS_PAGE_SIZE,
      total,
      items: rows.map((r) => ({
        id: r.record_id,
        communeCode: r.commune_code,
        provinceCode: r.province_code,
        status: r.status,
        registeredOn: r.registered_on,
        closedOn: r.closed_on,
        outcome: r.outcome,
        version: r.version,
      })),
    };
  }
}
