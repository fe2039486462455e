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
import { Throttle } from '@nestjs/throttler';
import { OUTSIDE_SCOPE_DUPLICATE_NOTICE, RegisterPersonHandler } from './register-person.handler';
import { personRegistrationBudget } from './registration-budget';
import { RegisterPersonRequestDto, RegisterPersonResponseDto } from './register-person.request.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class RegisterPersonHttpController {
  constructor(@Inject(RegisterPersonHandler) private readonly handler: RegisterPersonHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('persons.register')
  // A budget of its own per principal (issue 10 §1): registration reveals, to whoever may read them,
  // matches by ID or name, so it must not be a fast lookup.
  @Throttle({ default: { limit: () => personRegistrationBudget().limit, ttl: () => personRegistrationBudget().windowMs } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({ type: RegisterPersonResponseDto, description: 'Registered; `ETag` is the version, `Location` the person' })
  async register(
    @Body(validated(RegisterPersonRequestDto)) body: RegisterPersonRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; version: number; possibleDuplicates: readonly PossibleDuplicate[]; outsideScope: string }> {
    casesPolicy.assertInScope(principal, 'persons.register', { unitCodes: [body.residence.communeCode] }, jurisdiction);
    const invalid = this.handler.fieldErrors(body);
    if (invalid.length > 0) throw new ProblemHttpException(validationProblem(invalid.map(({ field, message }) => ({ field, message }))));
    const { result, possibleDuplicates } = await this.handler.handle(body, principal.agency.code, idempotencyKeyFrom(idempotencyKey), principal);
    // `outsideScope` is the same sentence on every answer: whether a match exists outside the
    // caller's scope must not change the status, the fields or their values.
    return { ...answerHttp(result, personErrors, res, (id) => `/api/v1/persons/${id}`), possibleDuplicates, outsideScope: OUTSIDE_SCOPE_DUPLICATE_NOTICE };
  }
}
