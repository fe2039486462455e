import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { recordAccess } from '@haidang/audit';
import { AccessDeniedError, Authorize, CurrentPrincipal } from '@haidang/auth';
import { addDays, vietnamDateOf } from '@haidang/calendar';
import type { Clock } from '@haidang/decider';
import type { EventStore } from '@haidang/event-store';
import { validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { CLOCK, EVENT_STORE } from '../tokens';
import { WorklistQueries } from './worklist-queries';

export class CommuneCaseloadQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'One of your communes; all of them when absent' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 30, minimum: 0, maximum: 365, description: 'What falls due within this many days (default 30); overdue items always show' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'dueWithinDays must be a whole number of days' })
  @Min(0, { message: 'dueWithinDays must be 0 or more' })
  @Max(365, { message: 'dueWithinDays must be at most 365' })
  readonly dueWithinDays?: number;
}

/**
 * Working lists across services, from the integration events: ids, codes and dates to act on, never
 * a name (the agency opens the record in the owning service, which applies its own scope and logs the
 * read). Each list is recorded in the access log.
 */
@ApiTags('worklists')
@ApiBearerAuth()
@Controller('api/v1/worklists')
export class WorklistsHttpController {
  constructor(
    @Inject(WorklistQueries) private readonly queries: WorklistQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('commune-caseload')
  @Authorize('worklists.read')
  @ApiOkResponse({ description: '`{ casesDue, referralsWaiting, followUpsDue }` of your communes' })
  async communeCaseload(@Query(validated(CommuneCaseloadQueryDto)) query: CommuneCaseloadQueryDto, @CurrentPrincipal() principal: Principal) {
    if (principal.agency.type !== 'COMMUNE') throw new AccessDeniedError('out-of-scope');
    const communes = principal.jurisdiction.filter((code) => /^\d{5}$/.test(code));
    if (query.communeCode !== undefined && !communes.includes(query.communeCode)) throw new AccessDeniedError('out-of-scope');
    const scope = query.communeCode === undefined ? communes : [query.communeCode];
    const until = addDays(vietnamDateOf(this.clock()), query.dueWithinDays ?? 30);
    const [casesDue, referralsWaiting, followUpsDue] = [
      await this.queries.casesDue(scope, until),
      await this.queries.referralsWaiting(scope),
      await this.queries.followUpsDue({ communes: scope }, until),
    ];
    await this.logRead(principal, 'commune-caseload', casesDue.length + referralsWaiting.length + followUpsDue.length);
    return { communeCodes: scope, until, casesDue, referralsWaiting, followUpsDue };
  }

  @Get('facility-admissions')
  @Authorize('worklists.read')
  @ApiOkResponse({ description: '`{ items }`: cases in rehab your facility recorded' })
  async facilityAdmissions(@CurrentPrincipal() principal: Principal) {
    if (principal.agency.type !== 'REHAB_FACILITY') throw new AccessDeniedError('out-of-scope');
    const items = await this.queries.facilityAdmissions(principal.agency.code);
    await this.logRead(principal, 'facility-admissions', items.length);
    return { agency: principal.agency.code, items };
  }

  @Get('employment-pipeline')
  @Authorize('worklists.read')
  @ApiOkResponse({ description: '`{ referred, records, followUpsDue }` of your centre' })
  async employmentPipeline(@CurrentPrincipal() principal: Principal) {
    if (principal.agency.type !== 'EMPLOYMENT_CENTRE') throw new AccessDeniedError('out-of-scope');
    const pipeline = await this.queries.employmentPipeline(principal.agency.code, principal.agency.province);
    const followUpsDue = await this.queries.followUpsDue({ province: principal.agency.province }, addDays(vietnamDateOf(this.clock()), 14));
    await this.logRead(principal, 'employment-pipeline', pipeline.referred.length + pipeline.records.length + followUpsDue.length);
    return { agency: principal.agency.code, ...pipeline, followUpsDue };
  }

  private async logRead(principal: Principal, list: string, rowCount: number): Promise<void> {
    await recordAccess(
      this.store,
      { subjectId: `worklist:${principal.agency.code}`, action: 'read', purpose: 'worklist-review', query: { list }, rowCount },
      this.clock(),
    );
  }
}
