import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { STATISTIC_CATEGORIES } from '../../cooperation-record/domain/record-figures';
import { provinceInScope, queryRecords } from '../../projections/records/records.read-model';
import { READ_MODEL } from '../../tokens';
import { StatisticsQueryDto } from './statistics.request.dto';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('api/v1/statistics')
export class ListStatisticsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /** Sums by category over a period, for one province (and one crossing): counts only, never a person. */
  @Get()
  @Authorize('statistics.read')
  @ApiOperation({ summary: 'Totals by category for a period, province and crossing (records corrected by a later one count once, as corrected)' })
  @ApiOkResponse({ description: '`{ provinceCode, from, to, source, totals: [{ category, value }] }`, categories in a fixed order' })
  async list(@Query(validated(StatisticsQueryDto)) query: StatisticsQueryDto, @CurrentPrincipal() principal: Principal) {
    const provinceCode = provinceInScope(principal, 'statistics.read', query.provinceCode);
    const source = query.source ?? 'records';
    const params: unknown[] = [provinceCode];
    const where = ['r.province_code = $1', 'r.corrected_by IS NULL', source === 'summaries' ? `r.kind = 'PERIOD_SUMMARY'` : `r.kind <> 'PERIOD_SUMMARY'`];
    if (query.from !== undefined) where.push(`r.period_from >= $${params.push(query.from)}`);
    if (query.to !== undefined) where.push(`r.period_to <= $${params.push(query.to)}`);
    if (query.crossingCode !== undefined) where.push(`r.crossing_code = $${params.push(query.crossingCode)}`);
    const rows = await queryRecords<{ category: string; value: string }>(
      this.readModel,
      `SELECT f.category, sum(f.value)::text AS value FROM cooperation_record_figure f JOIN cooperation_record_row r ON r.record_id = f.record_id
       WHERE ${where.join(' AND ')} GROUP BY f.category`,
      params,
    );
    const order = (category: string) => STATISTIC_CATEGORIES.indexOf(category);
    return {
      provinceCode,
      from: query.from ?? null,
      to: query.to ?? null,
      crossingCode: query.crossingCode ?? null,
      source,
      totals: rows.map((r) => ({ category: r.category, value: Number(r.value) })).sort((a, b) => order(a.category) - order(b.category)),
    };
  }

  @Get('categories')
  @Authorize('registers.read')
  @ApiOperation({ summary: 'The statistic categories (codes only)' })
  categories() {
    return { categories: STATISTIC_CATEGORIES };
  }
}
