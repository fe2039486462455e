import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { employmentRecordErrors } from '../../employment-errors.http';
import { EmploymentRecordChangeResponseDto } from '../employment-record-change.response.dto';
import { OpenEmploymentRecordHandler } from './open-employment-record.handler';
import { OpenEmploymentRecordRequestDto } from './open-employment-record.request.dto';

@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class OpenEmploymentRecordHttpController {
  constructor(@Inject(OpenEmploymentRecordHandler) private readonly handler: OpenEmploymentRecordHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('employment-records.open')
  @ApiOperation({ summary: 'Opens an employment record for a person living in a commune within your scope' })
  @ApiBody({ type: OpenEmploymentRecordRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and opens nothing' })
  @ApiCreatedResponse({ type: EmploymentRecordChangeResponseDto, description: 'Opened; `ETag` is the version, `Location` the record' })
  async open(
    @Body(validated(OpenEmploymentRecordRequestDto)) body: OpenEmploymentRecordRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, employmentRecordErrors, res, (id) => `/api/v1/employment-records/${id}`);
  }
}
