import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { recordAccess } from '@haidang/audit';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Clock } from '@haidang/decider';
import type { EventStore } from '@haidang/event-store';
import { problem, ProblemHttpException, validated, validationProblem } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { CLOCK, EVENT_STORE } from '../tokens';
import { INDICATOR_READER, type IndicatorPeriod, type IndicatorReader } from './indicator-reader.port';
import { IndicatorSeriesQueryDto, IndicatorsQueryDto } from './indicators.request.dto';
import { UnknownPlanError } from './insights-indicator-reader';
import { parseCalendarPeriod, periodsBetween } from './periods';

const INDICATOR_CODE = /^[A-Z][A-Z0-9_]{0,79}$/;
const MAX_SERIES_POINTS = 400;

function notFound(error: unknown): never {
  if (error instanceof UnknownPlanError) throw new ProblemHttpException(problem({ status: 404, code: 'plan-not-found', detail: error.message }));
  throw error;
}

/**
 * The analyst API: indicator cells and series, aggregates only, small numbers suppressed for
 * readers outside the unit's own agencies. Every read is recorded in the access log (who, which
 * query, how many cells) before the answer leaves.
 */
@ApiTags('indicators')
@ApiBearerAuth()
@Controller('api/v1/indicators')
export class IndicatorsHttpController {
  constructor(
    @Inject(INDICATOR_READER) private readonly reader: IndicatorReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Authorize('indicators.read')
  @ApiOkResponse({ description: '`{ period, items: IndicatorCell[] }`: one cell per indicator and unit, with the plan target and share achieved' })
  async list(@Query(validated(IndicatorsQueryDto)) query: IndicatorsQueryDto, @CurrentPrincipal() principal: Principal) {
    const unitLevel = query.unitLevel ?? 'PROVINCE';
    if (unitLevel === 'PROVINCE' && query.unitCode !== undefined && query.unitCode !== query.provinceCode)
      throw new ProblemHttpException(validationProblem([{ field: 'unitCode', message: 'unitCode must be absent (or the province) at unitLevel PROVINCE' }]));
    const period: IndicatorPeriod = parseCalendarPeriod(query.period) ?? { kind: 'PLAN', label: 'PLAN', from: '', to: '' };
    const items = await this.reader
      .indicators(
        {
          provinceCode: query.provinceCode,
          unitLevel,
          period,
          ...(query.unitCode === undefined || unitLevel === 'PROVINCE' ? {} : { unitCode: query.unitCode }),
          ...(query.codes === undefined ? {} : { codes: query.codes }),
          ...(query.planId === undefined ? {} : { planId: query.planId }),
        },
        principal,
      )
      .catch(notFound);
    await this.logRead(
      query.provinceCode,
      { provinceCode: query.provinceCode, unitLevel, period: query.period, ...(query.unitCode ? { unitCode: query.unitCode } : {}) },
      items.length,
    );
    return { period: items[0]?.period ?? period, items };
  }

  @Get(':code/series')
  @Authorize('indicators.read')
  @ApiOkResponse({ description: 'IndicatorSeries: one point per period from `from` to `to`' })
  async series(
    @Param('code') code: string,
    @Query(validated(IndicatorSeriesQueryDto)) query: IndicatorSeriesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const errors = [
      ...(INDICATOR_CODE.test(code) ? [] : [{ field: 'code', message: 'code must be an indicator code like REHAB_ADMISSIONS' }]),
      ...(query.from > query.to ? [{ field: 'to', message: 'to must not be before from' }] : []),
      ...(query.periodKind !== 'PLAN' &&
      query.from <= query.to &&
      periodsBetween(query.periodKind, query.from, query.to, MAX_SERIES_POINTS + 1).length > MAX_SERIES_POINTS
        ? [{ field: 'from', message: `a series holds at most ${MAX_SERIES_POINTS} periods` }]
        : []),
    ];
    if (errors.length > 0) throw new ProblemHttpException(validationProblem(errors));
    const series = await this.reader
      .series(
        code,
        {
          provinceCode: query.provinceCode,
          unitLevel: query.unitLevel ?? 'PROVINCE',
          ...(query.unitCode === undefined ? {} : { unitCode: query.unitCode }),
          ...(query.planId === undefined ? {} : { planId: query.planId }),
          periodKind: query.periodKind,
          from: query.from,
          to: query.to,
        },
        principal,
      )
      .catch(notFound);
    await this.logRead(
      query.provinceCode,
      { provinceCode: query.provinceCode, code, periodKind: query.periodKind, from: query.from, to: query.to },
      series.points.length,
    );
    return series;
  }

  private async logRead(provinceCode: string, parameters: Record<string, string>, rowCount: number): Promise<void> {
    await recordAccess(
      this.store,
      { subjectId: `indicators:${provinceCode}`, action: 'read', purpose: 'indicators-query', query: parameters, rowCount },
      this.clock(),
    );
  }
}
