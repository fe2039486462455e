import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { activityErrors } from '../../campaigns-errors.http';
import { ActivityChangeResponseDto } from '../activity-change.response.dto';
import { RegisterActivityHandler } from './register-activity.handler';
import { RegisterActivityRequestDto } from './register-activity.request.dto';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/activities')
export class RegisterActivityHttpController {
  constructor(@Inject(RegisterActivityHandler) private readonly handler: RegisterActivityHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('activities.register')
  @ApiOperation({ summary: 'Registers a activity in a commune within your jurisdiction' })
  @ApiBody({ type: RegisterActivityRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: ActivityChangeResponseDto, description: 'Registered; `ETag` is the version, `Location` the record' })
  async register(
    @Body(validated(RegisterActivityRequestDto)) body: RegisterActivityRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, activityErrors, res, (id) => `/api/v1/activities/${id}`);
  }
}
