import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { KINDS_READ_BY } from '../../cross-border.policy';
import { READ_MODEL } from '../../tokens';
import { ListRecordsQueryDto } from './list-records.request.dto';
import { provinceInScope, queryRecords, type CooperationRecordRecord } from './records.read-model';

export const RECORDS_PAGE_SIZE = 20;

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class ListRecordsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /** Records of the caller's province, from the read model: it lags the events by the projection's delay. */
  @Get()
  @Authorize('records.read')
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, oldest first' })
  async list(@Query(validated(ListRecordsQueryDto)) query: ListRecordsQueryDto, @CurrentPrincipal() principal: Principal) {
    const params: unknown[] = [provinceInScope(principal, 'records.read', query.provinceCode)];
    const where = ['province_code = $1'];
    if (query.kind !== undefined) where.push(`kind = $${params.push(query.kind)}`);
    // Foreign affairs lists meetings only (KINDS_READ_BY).
    const kinds = KINDS_READ_BY[principal.agency.type];
    if (kinds !== undefined) where.push(`kind = ANY($${params.push([...kinds])})`);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    if (query.crossingCode !== undefined) where.push(`crossing_code = $${params.push(query.crossingCode)}`);
    const page = query.page ?? 1;
    const rows = await queryRecords<CooperationRecordRecord & { total: string }>(
      this.readModel,
      `SELECT *, count(*) OVER () AS total FROM cooperation_record_row WHERE ${where.join(' AND ')}
       ORDER BY occurred_on, record_id LIMIT ${RECORDS_PAGE_SIZE} OFFSET ${(page - 1) * RECORDS_PAGE_SIZE}`,
      params,
    );
    return {
      page,
      pageSize: RECORDS_PAGE_SIZE,
      total: rows[0] === undefined ? 0 : Number(rows[0].total),
      items: rows.map((r) => ({
        id: r.record_id,
        kind: r.kind,
        provinceCode: r.province_code,
        crossingCode: r.crossing_code,
        occurredOn: r.occurred_on,
        status: r.status,
        titleVi: r.title_vi,
        corrects: r.corrects,
        correctedBy: r.corrected_by,
        replyDueOn: r.reply_due_on,
        replyReceivedOn: r.reply_received_on,
        version: r.version,
      })),
    };
  }
}
