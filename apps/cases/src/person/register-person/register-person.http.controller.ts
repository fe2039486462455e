import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { validated } from '@haidang/http-platform';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { casesPolicy } from '../../cases.policy';
import { etagOf, idempotencyKeyFrom } from '../person-http';
import type { HeaderSink } from '../person-http';
import { RegisterPersonHandler, type RegisterPersonResult } from './register-person.handler';
import { RegisterPersonRequestDto, RegisterPersonResponseDto } from './register-person.request.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class RegisterPersonHttpController {
  constructor(@Inject(RegisterPersonHandler) private readonly handler: RegisterPersonHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('persons.register')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: RegisterPersonResponseDto, description: 'Registered; `ETag` is the version, `Location` the person' })
  async register(
    @Body(validated(RegisterPersonRequestDto)) body: RegisterPersonRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<RegisterPersonResult> {
    casesPolicy.assertInScope(principal, 'persons.register', { unitCodes: [body.residence.communeCode] }, jurisdiction);
    const result = await this.handler.handle(body, principal.agency.code, idempotencyKeyFrom(idempotencyKey));
    res.setHeader('ETag', etagOf(result.version));
    res.setHeader('Location', `/api/v1/persons/${result.id}`);
    return result;
  }
}
