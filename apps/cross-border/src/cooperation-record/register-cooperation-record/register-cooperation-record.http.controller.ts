import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { CooperationRecordChangeResponseDto } from '../cooperation-record-change.response.dto';
import { RegisterCooperationRecordHandler } from './register-cooperation-record.handler';
import { RegisterCooperationRecordRequestDto } from './register-cooperation-record.request.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class RegisterCooperationRecordHttpController {
  constructor(@Inject(RegisterCooperationRecordHandler) private readonly handler: RegisterCooperationRecordHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('records.register')
  @ApiOperation({
    summary: 'Registers a cooperation record of your province (meeting, information exchange, joint patrol, joint case, handover, period summary)',
  })
  @ApiBody({ type: RegisterCooperationRecordRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: CooperationRecordChangeResponseDto, description: 'Registered; `ETag` is the version, `Location` the record' })
  async register(
    @Body(validated(RegisterCooperationRecordRequestDto)) body: RegisterCooperationRecordRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, cooperationRecordErrors, res, (id) => `/api/v1/records/${id}`);
  }
}
