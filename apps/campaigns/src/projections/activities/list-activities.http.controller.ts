import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { readPage, type ReadModelQuery } from '@haidang/service-kit';
import { READ_MODEL } from '../../tokens';
import { ListActivitiesQueryDto } from './list-activities.request.dto';
import { queryActivities, scopeClause, type ActivityRecord } from './activities.read-model';

export const ACTIVITIES_PAGE_SIZE = 50;

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/activities')
export class ListActivitiesHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /** Activities within the caller's scope, from the read model: it lags the events by the projection's delay. */
  @Get()
  @Authorize('activities.read')
  @ApiOkResponse({ description: '`{ page, pageSize, total, items }`, oldest first' })
  async list(@Query(validated(ListActivitiesQueryDto)) query: ListActivitiesQueryDto, @CurrentPrincipal() principal: Principal) {
    const { where, params } = scopeClause(principal, 'activities.read', query.communeCode);
    if (query.form !== undefined) where.push(`form = $${params.push(query.form)}`);
    if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
    if (query.from !== undefined) where.push(`held_on >= $${params.push(query.from)}`);
    if (query.to !== undefined) where.push(`held_on <= $${params.push(query.to)}`);
    const run: ReadModelQuery = (sql, values) => queryActivities(this.readModel, sql, values);
    return readPage(
      run,
      { from: 'activity_row', where, params, orderBy: 'held_on, activity_id', page: query.page, pageSize: ACTIVITIES_PAGE_SIZE },
      (r: ActivityRecord) => ({
        id: r.activity_id,
        communeCodes: r.commune_codes,
        provinceCode: r.province_code,
        organiser: r.organiser,
        heldOn: r.held_on,
        form: r.form,
        venueType: r.venue_type,
        audienceType: r.audience_type,
        audienceCount: r.audience_count,
        campaignMonth: r.campaign_month,
        planId: r.plan_id,
        article: r.article_url === null ? null : { outlet: r.article_outlet, url: r.article_url },
        status: r.status,
        version: r.version,
      }),
    );
  }
}
