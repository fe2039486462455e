import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '../../http/validated';
import { RehabCaseChangeResponseDto } from '../legal-basis.dto';
import type { RehabCaseChange } from '../rehab-case-commands';
import { etagOf, idempotencyKeyFrom, type HeaderSink } from '../rehab-case-http';
import { RegisterRehabCaseHandler } from './register-rehab-case.handler';
import { RegisterRehabCaseRequestDto } from './register-rehab-case.request.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class RegisterRehabCaseHttpController {
  constructor(@Inject(RegisterRehabCaseHandler) private readonly handler: RegisterRehabCaseHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('rehab-cases.register')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: RehabCaseChangeResponseDto, description: 'Registered with its form decided; `ETag` is the version, `Location` the case' })
  @ApiUnprocessableEntityResponse({
    description: 'A rule of the law that applies on the decision date is broken, e.g. "compulsory rehab needs a prior determination that the person is addicted": a compulsory form cannot be registered before an addiction determination',
  })
  async register(
    @Body(validated(RegisterRehabCaseRequestDto)) body: RegisterRehabCaseRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<RehabCaseChange> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    res.setHeader('ETag', etagOf(result.version));
    res.setHeader('Location', `/api/v1/rehab-cases/${result.id}`);
    return result;
  }
}
