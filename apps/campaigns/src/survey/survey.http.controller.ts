import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { surveyErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { assertSurveyInScope, SurveyCommands } from './survey-commands';
import { SURVEY_STORE, type SurveyStore } from './survey.aggregate';
import { RecordSurveyRequestDto } from './survey.dto';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1/surveys')
export class SurveyHttpController {
  constructor(
    @Inject(SurveyCommands) private readonly commands: SurveyCommands,
    @Inject(SURVEY_STORE) private readonly surveys: SurveyStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('surveys.record')
  @ApiOperation({ summary: 'Records an awareness survey of your province: sample size and aware, by group and locality' })
  @ApiBody({ type: RecordSurveyRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto })
  async record(
    @Body(validated(RecordSurveyRequestDto)) body: RecordSurveyRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    return answerHttp(await this.commands.record(body, principal, idempotencyKeyFrom(rawKey)), surveyErrors, res, (id) => `/api/v1/surveys/${id}`);
  }

  @Get(':id')
  @Authorize('surveys.read')
  @ApiOkResponse({ description: 'The survey with the share aware per result' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await this.surveys.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, surveyErrors);
    assertSurveyInScope(principal, 'surveys.read', state.survey.provinceCode);
    res.setHeader('ETag', etagOf(version));
    return { id, version, ...state.survey, results: state.survey.results.map((r) => ({ ...r, shareAware: Math.round((r.aware / r.sampleSize) * 1000) / 10 })) };
  }
}
