import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { activityErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { ActivityCommands, assertActivityInScope, unitsOfActivity } from './activity-commands';
import { ACTIVITY_STORE, type ActivityStore } from './activity.aggregate';
import { RecordActivityRequestDto } from './activity.dto';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/activities')
export class ActivityHttpController {
  constructor(
    @Inject(ActivityCommands) private readonly commands: ActivityCommands,
    @Inject(ACTIVITY_STORE) private readonly activities: ActivityStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('activities.record')
  @ApiOperation({ summary: 'Records a communication activity (or an article: form ARTICLE with its register entry) in communes of your scope' })
  @ApiBody({ type: RecordActivityRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto, description: 'Recorded; `ETag` is the version, `Location` the activity' })
  async record(
    @Body(validated(RecordActivityRequestDto)) body: RecordActivityRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    return answerHttp(await this.commands.record(body, principal, idempotencyKeyFrom(rawKey)), activityErrors, res, (id) => `/api/v1/activities/${id}`);
  }

  /** The activity as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('activities.read')
  @ApiOkResponse({ description: '`ETag` is the version to send as `If-Match`' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await this.activities.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, activityErrors);
    assertActivityInScope(principal, 'activities.read', unitsOfActivity(state.activity.communeCodes, state.activity.provinceCode));
    res.setHeader('ETag', etagOf(version));
    return { id, version, status: state.status, ...state.activity, withdrawnOn: state.withdrawnOn, withdrawalReason: state.withdrawalReason };
  }
}
