import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { problem, ProblemHttpException, validated } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { readPage, type ReadModelQuery } from '@haidang/service-kit';
import { campaignsPolicy } from '../../campaigns.policy';
import { READ_MODEL } from '../../tokens';
import { ListPlansQueryDto, ListStaffRostersQueryDto, ListSupportModelsQueryDto, ListSurveysQueryDto } from './list-registers.request.dto';
import { campaignsRegistersProjection } from './registers.projection';

export const REGISTERS_PAGE_SIZE = 50;

type Row = Record<string, unknown>;

/** Adds `column = $n` for each filter given. */
function filterBy(where: string[], params: unknown[], filters: Readonly<Record<string, string | undefined>>): void {
  for (const [column, value] of Object.entries(filters)) if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
}
/** Rows whose span [fromColumn, toColumn] overlaps the window asked for. */
function overlapping(where: string[], params: unknown[], fromColumn: string, toColumn: string, from: string | undefined, to: string | undefined): void {
  if (from !== undefined) where.push(`${toColumn} >= $${params.push(from)}`);
  if (to !== undefined) where.push(`${fromColumn} <= $${params.push(to)}`);
}

/**
 * The lists of plans, support models, surveys and the staff register, from the read model (it lags
 * the events by the projection's delay): paged, within the caller's scope, filtered. Nothing in them
 * is personal: the PPC reads them all in its province.
 */
@ApiBearerAuth()
@Controller('api/v1')
export class ListRegistersHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  private readonly query: ReadModelQuery = async (sql, params) => {
    try {
      return await withReadModel(this.readModel, campaignsRegistersProjection.name, (em) => em.query(sql, params));
    } catch (error) {
      if (error instanceof ProjectionNotActiveError)
        throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'This list is being built. Try again shortly.' }));
      throw error;
    }
  };

  @Get('plans')
  @ApiTags('plans')
  @Authorize('plans.read')
  @ApiOperation({ summary: 'Plans of your province whose period overlaps from–to, provincial or district, or those under one plan' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, latest issued first' })
  async plans(@Query(validated(ListPlansQueryDto)) query: ListPlansQueryDto, @CurrentPrincipal() principal: Principal) {
    const where = ['province_code = $1'];
    const params: unknown[] = [principal.agency.province];
    filterBy(where, params, { parent_plan_id: query.parentPlanId });
    if (query.level === 'DISTRICT') where.push('district_name IS NOT NULL');
    if (query.level === 'PROVINCE') where.push('district_name IS NULL');
    overlapping(where, params, 'period_from', 'period_to', query.from, query.to);
    return readPage(
      this.query,
      { from: 'campaigns_plan_row', where, params, orderBy: 'issued_on DESC, plan_id', page: query.page, pageSize: REGISTERS_PAGE_SIZE },
      (r: Row) => ({
        id: r['plan_id'],
        number: r['number'],
        issuedBy: r['issued_by'],
        issuedOn: r['issued_on'],
        title: r['title'],
        leadAgency: r['lead_agency'],
        periodFrom: r['period_from'],
        periodTo: r['period_to'],
        parentPlanId: r['parent_plan_id'],
        districtName: r['district_name'],
        targets: r['target_count'],
        amendments: r['amendments'],
        version: r['version'],
      }),
    );
  }

  @Get('support-models')
  @ApiTags('support-models')
  @Authorize('support-models.read')
  @ApiOperation({ summary: 'Support models in your scope by kind, owner, status and commune, with the totals of their activity logs' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }` by code' })
  async supportModels(@Query(validated(ListSupportModelsQueryDto)) query: ListSupportModelsQueryDto, @CurrentPrincipal() principal: Principal) {
    if (query.communeCode !== undefined) campaignsPolicy.assertInScope(principal, 'support-models.read', { unitCodes: [query.communeCode] }, jurisdiction);
    const where: string[] = [];
    const params: unknown[] = [];
    // The province for the PPC and the holder, the communes of a commune's token, a border guard's or a model's own.
    const scope = campaignsPolicy.scopeFor(principal, 'support-models.read');
    if (scope === 'own-jurisdiction') where.push(`commune_code = ANY($${params.push([...principal.jurisdiction])})`);
    else if (scope === 'own-agency') where.push(`(owner_agency = $${params.push(principal.agency.code)} OR model_code = $${params.length})`);
    else where.push(`province_code = $${params.push(principal.agency.province)}`);
    filterBy(where, params, { kind: query.kind, owner_type: query.ownerType, status: query.status, commune_code: query.communeCode });
    return readPage(
      this.query,
      { from: 'campaigns_support_model_row', where, params, orderBy: 'model_code, model_id', page: query.page, pageSize: REGISTERS_PAGE_SIZE },
      (r: Row) => ({
        id: r['model_id'],
        modelCode: r['model_code'],
        name: r['name'],
        kind: r['kind'],
        ownerType: r['owner_type'],
        ownerAgency: r['owner_agency'],
        communeCode: r['commune_code'],
        foundedOn: r['founded_on'],
        status: r['status'],
        statusSince: r['status_since'],
        logs: r['logs'],
        meetings: r['meetings'],
        personsSupported: r['persons_supported'],
        version: r['version'],
      }),
    );
  }

  @Get('surveys')
  @ApiTags('surveys')
  @Authorize('surveys.read')
  @ApiOperation({ summary: 'Awareness surveys of your province conducted within from–to, by group and plan (totals of sample and aware)' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, latest first' })
  async surveys(@Query(validated(ListSurveysQueryDto)) query: ListSurveysQueryDto, @CurrentPrincipal() principal: Principal) {
    const where = ['province_code = $1'];
    const params: unknown[] = [principal.agency.province];
    filterBy(where, params, { plan_id: query.planId });
    if (query.group !== undefined) where.push(`$${params.push(query.group)} = ANY(groups)`);
    overlapping(where, params, 'conducted_from', 'conducted_to', query.from, query.to);
    return readPage(
      this.query,
      { from: 'campaigns_survey_row', where, params, orderBy: 'conducted_from DESC, survey_id', page: query.page, pageSize: REGISTERS_PAGE_SIZE },
      (r: Row) => ({
        id: r['survey_id'],
        conductedBy: r['conducted_by'],
        conductedFrom: r['conducted_from'],
        conductedTo: r['conducted_to'],
        planId: r['plan_id'],
        groups: r['groups'],
        unitCodes: r['unit_codes'],
        sampleSize: r['sample_size'],
        aware: r['aware'],
        version: r['version'],
      }),
    );
  }

  @Get('staff-rosters')
  @ApiTags('staff-rosters')
  @Authorize('staff.read')
  @ApiOperation({ summary: 'The staff register of your province: the latest headcount of each agency and group' })
  @ApiOkResponse({ description: '`{ page, pageSize, total, headcount, items }` by agency; `headcount` sums every row in the filter' })
  async staffRosters(@Query(validated(ListStaffRostersQueryDto)) query: ListStaffRostersQueryDto, @CurrentPrincipal() principal: Principal) {
    const where = ['province_code = $1'];
    const params: unknown[] = [principal.agency.province];
    filterBy(where, params, { staff_group: query.group, agency_code: query.agencyCode });
    const page = await readPage(
      this.query,
      { from: 'campaigns_staff_roster_row', where, params, orderBy: 'agency_code, staff_group, roster_id', page: query.page, pageSize: REGISTERS_PAGE_SIZE },
      (r: Row) => ({
        id: r['roster_id'],
        agencyCode: r['agency_code'],
        group: r['staff_group'],
        headcount: r['headcount'],
        asOf: r['as_of'],
        version: r['version'],
      }),
    );
    const sum = await this.query<{ n: string | null }>(`SELECT sum(headcount) AS n FROM campaigns_staff_roster_row WHERE ${where.join(' AND ')}`, params);
    return { ...page, headcount: Number(sum[0]?.n ?? 0) };
  }
}
