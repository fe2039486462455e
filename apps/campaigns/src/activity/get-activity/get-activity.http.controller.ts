import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { activityErrors } from '../../campaigns-errors.http';
import { assertActivityInScope } from '../activity-access';
import { ACTIVITY_STORE, type ActivityStore } from '../activity.aggregate';
import { ActivityResponseDto } from './activity.response.dto';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/activities')
export class GetActivityHttpController {
  constructor(@Inject(ACTIVITY_STORE) private readonly records: ActivityStore) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('activities.read')
  @ApiOkResponse({ type: ActivityResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ActivityResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, activityErrors);
    assertActivityInScope(principal, 'activities.read', state.communeCode);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      status: state.status,
      communeCode: state.communeCode,
      provinceCode: state.provinceCode,
      registeredOn: state.registeredOn,
      closedOn: state.closedOn,
      outcome: state.outcome,
    };
  }
}
