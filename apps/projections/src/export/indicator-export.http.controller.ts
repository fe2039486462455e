import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Clock } from '@haidang/decider';
import type { EventStore } from '@haidang/event-store';
import { problem, ProblemHttpException, validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { INDICATOR_READER, type IndicatorCell, type IndicatorReader } from '../indicators/indicator-reader.port';
import { IndicatorsQueryDto } from '../indicators/indicators.request.dto';
import { UnknownPlanError } from '../indicators/insights-indicator-reader';
import { CLOCK, EVENT_STORE } from '../tokens';
import { indicatorsCsv } from './indicator-csv';
import { recordIndicatorExport } from './indicator-export-log';
import { accessLogQueryOf, exportFileName, indicatorQueryOf } from './indicator-export.query';
import { exportRowOf, type ExportRow } from './indicator-table';
import { indicatorsXlsx } from './indicator-xlsx';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /api/v1/indicators/export.csv|xlsx`: the cells `GET /api/v1/indicators` answers for the same
 * query, through the same reader (scope and small-number protection are the reader's), as a file.
 * `indicators.export` grants exactly what `indicators.read` grants (projections.policy.ts).
 */
@ApiTags('indicators')
@ApiBearerAuth()
@Controller('api/v1/indicators')
export class IndicatorExportHttpController {
  constructor(
    @Inject(INDICATOR_READER) private readonly reader: IndicatorReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('export.csv')
  @Authorize('indicators.export')
  @ApiOperation({ summary: 'Indicators as CSV: UTF-8 with BOM, `;` separated, decimal comma (Vietnamese Excel); suppressed figures read `ẩn`' })
  @ApiOkResponse({
    description: 'The file, as an attachment; the export is recorded in the access log',
    content: { [CSV_CONTENT_TYPE]: { schema: { type: 'string' } } },
  })
  async csv(@Query(validated(IndicatorsQueryDto)) query: IndicatorsQueryDto, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const rows = await this.rows(query, principal, 'csv');
    const body = Buffer.from(indicatorsCsv(rows), 'utf8');
    return new StreamableFile(body, { type: CSV_CONTENT_TYPE, disposition: `attachment; filename="${exportFileName(query, 'csv')}"`, length: body.length });
  }

  @Get('export.xlsx')
  @Authorize('indicators.export')
  @ApiOperation({ summary: 'Indicators as XLSX: Vietnamese headers, numbers with `#,##0` and `0.0%` formats; suppressed figures read `ẩn`' })
  @ApiOkResponse({
    description: 'The workbook, as an attachment; the export is recorded in the access log',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  async xlsx(@Query(validated(IndicatorsQueryDto)) query: IndicatorsQueryDto, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const rows = await this.rows(query, principal, 'xlsx');
    const body = await indicatorsXlsx(rows, { createdAt: this.clock(), query: accessLogQueryOf(query, 'xlsx') });
    return new StreamableFile(body, { type: XLSX_CONTENT_TYPE, disposition: `attachment; filename="${exportFileName(query, 'xlsx')}"`, length: body.length });
  }

  private async rows(query: IndicatorsQueryDto, principal: Principal, format: 'csv' | 'xlsx'): Promise<ExportRow[]> {
    let cells: readonly IndicatorCell[];
    try {
      cells = await this.reader.indicators(indicatorQueryOf(query), principal);
    } catch (error) {
      if (error instanceof UnknownPlanError) throw new ProblemHttpException(problem({ status: 404, code: 'plan-not-found', detail: error.message }));
      throw error;
    }
    // Recorded before the file is built and sent: an export the log cannot hold does not leave.
    await recordIndicatorExport(this.store, this.clock(), query.provinceCode, accessLogQueryOf(query, format), cells.length);
    return cells.map(exportRowOf);
  }
}
