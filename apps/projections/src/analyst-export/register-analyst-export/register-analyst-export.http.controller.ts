import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { analystExportErrors } from '../../projections-errors.http';
import { AnalystExportChangeResponseDto } from '../analyst-export-change.response.dto';
import { RegisterAnalystExportHandler } from './register-analyst-export.handler';
import { RegisterAnalystExportRequestDto } from './register-analyst-export.request.dto';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/exports')
export class RegisterAnalystExportHttpController {
  constructor(@Inject(RegisterAnalystExportHandler) private readonly handler: RegisterAnalystExportHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('exports.register')
  @ApiOperation({ summary: 'Registers a analyst export in a commune within your jurisdiction' })
  @ApiBody({ type: RegisterAnalystExportRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: AnalystExportChangeResponseDto, description: 'Registered; `ETag` is the version, `Location` the record' })
  async register(
    @Body(validated(RegisterAnalystExportRequestDto)) body: RegisterAnalystExportRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, analystExportErrors, res, (id) => `/api/v1/exports/${id}`);
  }
}
