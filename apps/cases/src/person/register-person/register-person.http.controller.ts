import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { idempotencyKeyFrom, ProblemHttpException, validated, validationProblem, type HeaderSink } from '@haidang/http-platform';
import { answerHttp } from '@haidang/service-kit';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { casesPolicy } from '../../cases.policy';
import { personErrors } from '../../cases-errors.http';
import type { PossibleDuplicate } from '../domain';
import { RegisterPersonHandler } from './register-person.handler';
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
  ): Promise<{ id: string; version: number; possibleDuplicates: readonly PossibleDuplicate[] }> {
    casesPolicy.assertInScope(principal, 'persons.register', { unitCodes: [body.residence.communeCode] }, jurisdiction);
    const invalid = this.handler.fieldErrors(body);
    if (invalid.length > 0) throw new ProblemHttpException(validationProblem(invalid.map(({ field, message }) => ({ field, message }))));
    const { result, possibleDuplicates } = await this.handler.handle(body, principal.agency.code, idempotencyKeyFrom(idempotencyKey));
    return { ...answerHttp(result, personErrors, res, (id) => `/api/v1/persons/${id}`), possibleDuplicates };
  }
}
