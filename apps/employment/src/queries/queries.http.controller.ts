import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { vietnamDateOf } from '@haidang/calendar';
import type { Clock } from '@haidang/decider';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, problemOf, readPage, type ReadModelQuery } from '@haidang/service-kit';
import { trainingProviderErrors } from '../employment-errors.http';
import { employmentPolicy } from '../employment.policy';
import { trainingProvider } from '../registers/registers.aggregate';
import { queryEmploymentRecords, scopeClause } from '../projections/employment-records/employment-records.read-model';
import { registersProjection } from '../projections/registers/registers.projection';
import { CLOCK, READ_MODEL } from '../tokens';
import { ListEmployersQueryDto, ListFollowUpsQueryDto, ListTrainingProvidersQueryDto } from './list-follow-ups.request.dto';

const LIMIT = 500;

/**
 * The lists of the service that are not records: follow-ups due, a provider's enrolments, the
 * registers. From the read model: they lag the events by the projection's delay.
 */
@ApiTags('employment')
@ApiBearerAuth()
@Controller('api/v1')
export class EmploymentQueriesHttpController {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
  ) {}

  @Get('employment/follow-ups')
  @Authorize('follow-ups.read')
  @ApiOperation({ summary: 'Job follow-ups (3, 6, 12 months) still to record, due on or before `dueBefore`; `overdue` when due before today' })
  @ApiOkResponse({ description: '`{ today, items }`, earliest due first (at most 500)' })
  async followUps(@Query(validated(ListFollowUpsQueryDto)) query: ListFollowUpsQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'follow-ups.read', query.communeCode);
    where.push(`status = 'PENDING'`, `due_on <= $${params.push(query.dueBefore)}`);
    const today = vietnamDateOf(this.clock());
    const rows = await queryEmploymentRecords<{
      record_id: string;
      placement_id: string;
      employer_id: string;
      month: number;
      due_on: string;
      commune_code: string | null;
    }>(this.readModel, `SELECT * FROM employment_follow_up_row WHERE ${where.join(' AND ')} ORDER BY due_on, placement_id, month LIMIT ${LIMIT}`, params);
    return {
      today,
      items: rows.map((r) => ({
        recordId: r.record_id,
        placementId: r.placement_id,
        employerId: r.employer_id,
        month: r.month,
        dueOn: r.due_on,
        communeCode: r.commune_code,
        overdue: r.due_on < today,
      })),
    };
  }

  @Get('training-providers/:id/enrolments')
  @Authorize('provider-enrolments.read')
  @ApiOperation({ summary: 'Enrolments at a provider: trade, level, dates, status, funding; no person, case or treatment data' })
  @ApiOkResponse({ description: '`{ items }`, latest start first (at most 500)' })
  async enrolments(@Param('id', new ParseUUIDPipe()) providerId: string, @CurrentPrincipal() principal: Principal) {
    const { state } = await this.pipeline.storeOf(trainingProvider).load(providerId);
    if (state === null) throw problemOf({ kind: 'not-found' }, trainingProviderErrors);
    // The centre: any provider of its province. A provider: only itself (its agency code in the register).
    const scope = employmentPolicy.scopeFor(principal, 'provider-enrolments.read');
    const resource = scope === 'own-agency' ? { agencyCode: state.agencyCode ?? '' } : { unitCodes: [state.communeCode] };
    employmentPolicy.assertInScope(principal, 'provider-enrolments.read', resource, jurisdiction);
    const rows = await queryEmploymentRecords<Record<string, string | null>>(
      this.readModel,
      `SELECT * FROM employment_enrolment_row WHERE provider_id = $1 ORDER BY start_on DESC, enrolment_id LIMIT ${LIMIT}`,
      [providerId],
    );
    return {
      items: rows.map((r) => ({
        enrolmentId: r['enrolment_id'],
        tradeCode: r['trade_code'],
        level: r['level'],
        startOn: r['start_on'],
        expectedEndOn: r['expected_end_on'],
        funding: r['funding'],
        status: r['status'],
        endedOn: r['ended_on'],
        dropoutReason: r['dropout_reason'],
      })),
    };
  }

  @Get('training-providers')
  @Authorize('registers.read')
  @ApiOperation({ summary: 'The training providers of your province, by status, kind and commune' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }` by name' })
  async providers(@Query(validated(ListTrainingProvidersQueryDto)) query: ListTrainingProvidersQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = registerScope(principal, { status: query.status, kind: query.kind, commune_code: query.communeCode });
    return readPage(
      this.registers,
      { from: 'employment_training_provider_row', where, params, orderBy: 'name, provider_id', page: query.page, pageSize: REGISTER_PAGE_SIZE },
      (r: Record<string, unknown>) => ({
        id: r['provider_id'],
        name: r['name'],
        kind: r['kind'],
        provinceCode: r['province_code'],
        communeCode: r['commune_code'],
        capacity: r['capacity'],
        agencyCode: r['agency_code'],
        registeredOn: r['registered_on'],
        status: r['status'],
        closedOn: r['closed_on'],
        version: r['version'],
      }),
    );
  }

  @Get('employers')
  @Authorize('registers.read')
  @ApiOperation({ summary: 'The employers of your province, by status, sector and commune' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }` by name' })
  async employers(@Query(validated(ListEmployersQueryDto)) query: ListEmployersQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = registerScope(principal, { status: query.status, sector: query.sector, commune_code: query.communeCode });
    return readPage(
      this.registers,
      { from: 'employment_employer_row', where, params, orderBy: 'name, employer_id', page: query.page, pageSize: REGISTER_PAGE_SIZE },
      (r: Record<string, unknown>) => ({
        id: r['employer_id'],
        name: r['name'],
        taxCode: r['tax_code'],
        provinceCode: r['province_code'],
        communeCode: r['commune_code'],
        sector: r['sector'],
        registeredOn: r['registered_on'],
        status: r['status'],
        closedOn: r['closed_on'],
        version: r['version'],
      }),
    );
  }

  private readonly registers: ReadModelQuery = (sql, params) => queryEmploymentRecords(this.readModel, sql, params, registersProjection.name);
}

const REGISTER_PAGE_SIZE = 50;

/** The caller's province, and `column = $n` for each filter given. */
function registerScope(principal: Principal, filters: Readonly<Record<string, string | undefined>>): { where: string[]; params: unknown[] } {
  const where = ['province_code = $1'];
  const params: unknown[] = [principal.agency.province];
  for (const [column, value] of Object.entries(filters)) if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
  return { where, params };
}
