import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { readPage, type ReadModelQuery } from '@haidang/service-kit';
import { READ_MODEL } from '../../tokens';
import { ListEmploymentRecordsQueryDto, ListEnrolmentsQueryDto, ListPlacementsQueryDto } from './list-employment-records.request.dto';
import { queryEmploymentRecords, scopeClause, type EmploymentRecordRecord } from './employment-records.read-model';

export const EMPLOYMENT_RECORDS_PAGE_SIZE = 20;
export const ENROLMENTS_PAGE_SIZE = 50;
export const PLACEMENTS_PAGE_SIZE = 50;

/** Adds `column = $n` for each filter given. */
function filterBy(where: string[], params: unknown[], filters: Readonly<Record<string, string | undefined>>): void {
  for (const [column, value] of Object.entries(filters)) if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
}
function startedBetween(where: string[], params: unknown[], from: string | undefined, to: string | undefined): void {
  if (from !== undefined) where.push(`start_on >= $${params.push(from)}`);
  if (to !== undefined) where.push(`start_on <= $${params.push(to)}`);
}

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
    filterBy(where, params, { status: query.status });
    const run: ReadModelQuery = (sql, values) => queryEmploymentRecords(this.readModel, sql, values);
    return readPage(
      run,
      { from: 'employment_record_row', where, params, orderBy: 'opened_on, record_id', page: query.page, pageSize: EMPLOYMENT_RECORDS_PAGE_SIZE },
      (r: EmploymentRecordRecord) => ({
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
      }),
    );
  }
}

/** A row of `employment_enrolment_row` / `employment_placement_row` as raw SQL returns it. */
type Row = Record<string, string | null>;

/**
 * The centre's and the commune's lists of trainings and jobs across records, within their scope
 * (codes and dates: no free text, no certificate number). A provider's own list is
 * `GET /training-providers/{id}/enrolments`, without the record.
 */
@ApiTags('employment')
@ApiBearerAuth()
@Controller('api/v1/employment')
export class ListTrainingsAndJobsHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  @Get('enrolments')
  @Authorize('employment-records.read')
  @ApiOperation({ summary: 'Vocational training enrolments of the records in your scope, by status, provider, trade, level, funding and start' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, latest start first' })
  async enrolments(@Query(validated(ListEnrolmentsQueryDto)) query: ListEnrolmentsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'employment-records.read', query.communeCode);
    filterBy(where, params, { status: query.status, provider_id: query.providerId, trade_code: query.tradeCode, level: query.level, funding: query.funding });
    startedBetween(where, params, query.from, query.to);
    const run: ReadModelQuery = (sql, values) => queryEmploymentRecords(this.readModel, sql, values);
    return readPage(
      run,
      { from: 'employment_enrolment_row', where, params, orderBy: 'start_on DESC, enrolment_id', page: query.page, pageSize: ENROLMENTS_PAGE_SIZE },
      (r: Row) => ({
        enrolmentId: r['enrolment_id'],
        recordId: r['record_id'],
        providerId: r['provider_id'],
        communeCode: r['commune_code'],
        tradeCode: r['trade_code'],
        level: r['level'],
        startOn: r['start_on'],
        expectedEndOn: r['expected_end_on'],
        funding: r['funding'],
        status: r['status'],
        endedOn: r['ended_on'],
        dropoutReason: r['dropout_reason'],
      }),
    );
  }

  @Get('placements')
  @Authorize('employment-records.read')
  @ApiOperation({ summary: 'Jobs of the records in your scope, by status, employer, contract type and start' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, latest start first' })
  async placements(@Query(validated(ListPlacementsQueryDto)) query: ListPlacementsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'employment-records.read', query.communeCode);
    filterBy(where, params, { status: query.status, employer_id: query.employerId, contract_type: query.contractType });
    startedBetween(where, params, query.from, query.to);
    const run: ReadModelQuery = (sql, values) => queryEmploymentRecords(this.readModel, sql, values);
    return readPage(
      run,
      { from: 'employment_placement_row', where, params, orderBy: 'start_on DESC, placement_id', page: query.page, pageSize: PLACEMENTS_PAGE_SIZE },
      (r: Row) => ({
        placementId: r['placement_id'],
        recordId: r['record_id'],
        employerId: r['employer_id'],
        communeCode: r['commune_code'],
        contractType: r['contract_type'],
        wageBand: r['wage_band'],
        loanProgramme: r['loan_programme'],
        startOn: r['start_on'],
        status: r['status'],
        endedOn: r['ended_on'],
        leaveReason: r['leave_reason'],
      }),
    );
  }
}
