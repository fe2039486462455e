import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { employmentRecordErrors } from '../../employment-errors.http';
import { EmploymentRecordChangeResponseDto } from '../employment-record-change.response.dto';
import { RegisterEmploymentRecordHandler } from './register-employment-record.handler';
import { RegisterEmploymentRecordRequestDto } from './register-employment-record.request.dto';

@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class RegisterEmploymentRecordHttpController {
  constructor(@Inject(RegisterEmploymentRecordHandler) private readonly handler: RegisterEmploymentRecordHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('employment-records.register')
  @ApiOperation({ summary: 'Registers a employment record in a commune within your jurisdiction' })
  @ApiBody({ type: RegisterEmploymentRecordRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: EmploymentRecordChangeResponseDto, description: 'Registered; `ETag` is the version, `Location` the record' })
  async register(
    @Body(validated(RegisterEmploymentRecordRequestDto)) body: RegisterEmploymentRecordRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, employmentRecordErrors, res, (id) => `/api/v1/employment-records/${id}`);
  }
}
