import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { answerHttp, CommandPipeline, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { trainingErrors } from '../campaigns-errors.http';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import { ChangeResponseDto } from '../change.response.dto';
import { training, TRAINING_STORE, type TrainingStore } from './training.aggregate';
import { RecordTrainingRequestDto } from './training.dto';

const assertInProvince = (principal: Principal, action: CampaignsAction, provinceCode: string) =>
  campaignsPolicy.assertInScope(principal, action, { unitCodes: [provinceCode] }, jurisdiction);

/** Trainings of the caller's province: recorded once (Idempotency-Key), read back with their counts. */
@ApiTags('trainings')
@ApiBearerAuth()
@Controller('api/v1/trainings')
export class TrainingHttpController {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(TRAINING_STORE) private readonly trainings: TrainingStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('trainings.record')
  @ApiOperation({ summary: 'Records a training of officials, staff, collaborators, teachers or volunteers (counts by group)' })
  @ApiBody({ type: RecordTrainingRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto })
  async record(
    @Body(validated(RecordTrainingRequestDto)) body: RecordTrainingRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const provinceCode = principal.agency.province;
    assertInProvince(principal, 'trainings.record', provinceCode);
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    const trainingId = this.pipeline.storeOf(training).newId(principal.agency.code, idempotencyKey);
    const result = await this.pipeline.execute(
      training,
      trainingId,
      {
        type: 'RecordTraining',
        data: {
          trainingId,
          provinceCode,
          organiser: principal.agency.code,
          heldOn: body.heldOn,
          topic: body.topic,
          participants: body.participants.map((p) => ({ group: p.group, count: p.count })),
          planId: body.planId ?? null,
          recordedByType: principal.agency.type,
        },
      },
      { expected: 'new', idempotencyKey, request: { route: 'record-training', body: { ...body } } },
    );
    return answerHttp(result, trainingErrors, res, (id) => `/api/v1/trainings/${id}`);
  }

  @Get(':id')
  @Authorize('trainings.read')
  @ApiOkResponse({ description: '`ETag` is the version' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await this.trainings.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, trainingErrors);
    assertInProvince(principal, 'trainings.read', state.training.provinceCode);
    res.setHeader('ETag', etagOf(version));
    return { id, version, ...state.training };
  }
}
