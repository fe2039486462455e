import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { vietnamDateOf } from '@haidang/calendar';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, CommandPipeline, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { planErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { targetsInForce } from './domain';
import { assertPlanInScope, PlanCommands } from './plan-commands';
import { PLAN_STORE, type PlanStore } from './plan.aggregate';
import { AdoptPlanRequestDto, PlanOnQueryDto } from './plan.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/plans')
export class PlanHttpController {
  constructor(
    @Inject(PlanCommands) private readonly commands: PlanCommands,
    @Inject(PLAN_STORE) private readonly plans: PlanStore,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('plans.adopt')
  @ApiOperation({ summary: 'Records a plan of your province with its targets as data (e.g. 146/KH-UBND of 2022-05-20)' })
  @ApiBody({ type: AdoptPlanRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto, description: 'Recorded; `ETag` is the version, `Location` the plan' })
  async adopt(
    @Body(validated(AdoptPlanRequestDto)) body: AdoptPlanRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    return answerHttp(await this.commands.adopt(body, principal, idempotencyKeyFrom(rawKey)), planErrors, res, (id) => `/api/v1/plans/${id}`);
  }

  /** The plan, the targets in force on `on` (default today), and every version with its dates. */
  @Get(':id')
  @Authorize('plans.read')
  @ApiOperation({ summary: 'Reads a plan with the targets in force on a day (`?on=YYYY-MM-DD`) and its amendment history' })
  @ApiOkResponse({ description: '`ETag` is the version to send as `If-Match`; `targets` is null outside the plan period' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query(validated(PlanOnQueryDto)) query: PlanOnQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ) {
    const { state, version } = await this.plans.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, planErrors);
    assertPlanInScope(principal, 'plans.read', state.plan.provinceCode);
    res.setHeader('ETag', etagOf(version));
    const on = query.on ?? vietnamDateOf(this.pipeline.clock());
    const inForce = targetsInForce(state, on);
    return {
      id,
      version,
      ...state.plan,
      on,
      targetsVersion: inForce?.version ?? null,
      targets: inForce?.targets ?? null,
      versions: state.versions.map((v) => ({ version: v.version, number: v.number, issuedOn: v.issuedOn, effectiveFrom: v.effectiveFrom, targets: v.targets })),
    };
  }
}
