import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, problem, ProblemHttpException, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { supportModelErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { SUPPORT_MODEL_CODE } from './domain';
import { assertModelInScope, SupportModelCommands, supportModelIdFor } from './support-model-commands';
import { SUPPORT_MODEL_STORE, type SupportModelStore } from './support-model.aggregate';
import { FoundSupportModelRequestDto } from './support-model.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('support-models')
@ApiBearerAuth()
@Controller('api/v1/support-models')
export class SupportModelHttpController {
  constructor(
    @Inject(SupportModelCommands) private readonly commands: SupportModelCommands,
    @Inject(SUPPORT_MODEL_STORE) private readonly models: SupportModelStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('support-models.found')
  @ApiOperation({ summary: 'Records a support model (volunteer team, counselling point, after-care club, school or mass-mobilisation model)' })
  @ApiBody({ type: FoundSupportModelRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto, description: 'Recorded; the id follows from the model code; 409 when the code is taken' })
  async found(
    @Body(validated(FoundSupportModelRequestDto)) body: FoundSupportModelRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    return answerHttp(await this.commands.found(body, principal, idempotencyKeyFrom(rawKey)), supportModelErrors, res, (id) => `/api/v1/support-models/${id}`);
  }

  /** By id or by agency code (`22-SUPPORT_MODEL-3`): the model, its active spans and its logged totals. */
  @Get(':ref')
  @Authorize('support-models.read')
  @ApiParam({ name: 'ref', description: 'The model’s id, or its agency code', example: '22-SUPPORT_MODEL-3' })
  @ApiOkResponse({ description: '`ETag` is the version to send as `If-Match`' })
  async get(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const id = UUID.test(ref) ? ref.toLowerCase() : SUPPORT_MODEL_CODE.test(ref) ? supportModelIdFor(ref) : undefined;
    if (id === undefined) {
      throw new ProblemHttpException(problem({ status: 400, code: 'bad-request', detail: 'ref must be a UUID or a model code <province>-SUPPORT_MODEL-<n>' }));
    }
    const { state, version } = await this.models.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, supportModelErrors);
    assertModelInScope(principal, 'support-models.read', state.model);
    res.setHeader('ETag', etagOf(version));
    return { id, version, status: state.status, ...state.model, activeSpans: state.spans, totals: state.totals };
  }
}
