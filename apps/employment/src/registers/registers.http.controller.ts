import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { answerHttp, CommandPipeline, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { employerErrors, trainingProviderErrors } from '../employment-errors.http';
import { employmentPolicy } from '../employment.policy';
import { EmploymentRecordChangeResponseDto } from '../employment-record/employment-record-change.response.dto';
import type { EmployerData, TrainingProviderData } from './domain';
import { RegistersHandler } from './registers.handler';
import { employer, trainingProvider } from './registers.aggregate';
import { RegisterEmployerRequestDto, RegisterTrainingProviderRequestDto } from './registers.request.dto';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' };

@ApiTags('training-providers')
@ApiBearerAuth()
@Controller('api/v1/training-providers')
export class TrainingProvidersHttpController {
  constructor(
    @Inject(RegistersHandler) private readonly handler: RegistersHandler,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('registers.manage')
  @ApiOperation({ summary: 'Registers a training provider (vocational school, centre, or a business that trains) in your province' })
  @ApiBody({ type: RegisterTrainingProviderRequestDto })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: EmploymentRecordChangeResponseDto, description: 'Registered; `Location` is the entry' })
  async register(
    @Body(validated(RegisterTrainingProviderRequestDto)) body: RegisterTrainingProviderRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.registerProvider(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, trainingProviderErrors, res, (id) => `/api/v1/training-providers/${id}`);
  }

  @Get(':id')
  @Authorize('registers.read')
  @ApiOkResponse({ description: 'The register entry (no personal data), `ETag` its version' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<TrainingProviderData & { version: number }> {
    const { state, version } = await this.pipeline.storeOf(trainingProvider).load(id);
    if (state === null) throw problemOf({ kind: 'not-found' }, trainingProviderErrors);
    employmentPolicy.assertInScope(principal, 'registers.read', { unitCodes: [state.communeCode] }, jurisdiction);
    res.setHeader('ETag', etagOf(version));
    return { ...state, version };
  }
}

@ApiTags('employers')
@ApiBearerAuth()
@Controller('api/v1/employers')
export class EmployersHttpController {
  constructor(
    @Inject(RegistersHandler) private readonly handler: RegistersHandler,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('registers.manage')
  @ApiOperation({ summary: 'Registers an employer in your province (name, tax code, commune, sector; no personal data)' })
  @ApiBody({ type: RegisterEmployerRequestDto })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: EmploymentRecordChangeResponseDto, description: 'Registered; `Location` is the entry' })
  async register(
    @Body(validated(RegisterEmployerRequestDto)) body: RegisterEmployerRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.registerEmployer(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, employerErrors, res, (id) => `/api/v1/employers/${id}`);
  }

  @Get(':id')
  @Authorize('registers.read')
  @ApiOkResponse({ description: 'The register entry (no personal data), `ETag` its version' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<EmployerData & { version: number }> {
    const { state, version } = await this.pipeline.storeOf(employer).load(id);
    if (state === null) throw problemOf({ kind: 'not-found' }, employerErrors);
    employmentPolicy.assertInScope(principal, 'registers.read', { unitCodes: [state.communeCode] }, jurisdiction);
    res.setHeader('ETag', etagOf(version));
    return { ...state, version };
  }
}
