import { Controller, Inject, UseFilters, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { AccessDeniedError, Authorize, CurrentPrincipal, UnauthenticatedError } from '@haidang/auth';
import { CasesSubjects, validatePersonsRegisterRequestV1, type PersonsRegisterResponseV1 } from '@haidang/contracts';
import { jurisdiction } from '@haidang/jurisdiction';
import {
  correlatedReply,
  defaultRemoteErrorMapper,
  readMessageContext,
  RemoteDomainError,
  RemoteErrorFilter,
  type RemoteErrorMapper,
} from '@haidang/messaging';
import type { Principal } from '@haidang/request-context';
import { answerRpc } from '@haidang/service-kit';
import { personErrors } from '../../cases-errors.http';
import { casesPolicy } from '../../cases.policy';
import { RegisterPersonHandler } from './register-person.handler';
import type { RegisterPersonRequestDto } from './register-person.request.dto';

/** Auth refusals keep their own code and wording over request/reply (the HTTP problem filter does not speak RPC). */
const authRefusals: RemoteErrorMapper = (error) =>
  error instanceof UnauthenticatedError || error instanceof AccessDeniedError
    ? { status: error.problem.status, code: error.code, message: error.problem.detail }
    : undefined;

/**
 * `cases.persons.register` (libs/contracts, v1): the same registration as `POST /api/v1/persons`,
 * asked by another service with its user's token — the cross-border service registering a
 * trafficking victim received at the border. Same scope (`persons.register` on the residence
 * commune), same field checks (400 naming each field), same handler and pipeline, the caller's
 * deterministic key as Idempotency-Key: a repeated request answers the same person and appends
 * nothing. The reply carries ids only; possible duplicates are for the officer in cases, not sent.
 *
 * `subjectPrefix` is empty in every deployment; tests give one of their own.
 */
export function registerPersonRpcController(subjectPrefix = ''): Type<unknown> {
  @Controller()
  @UseFilters(new RemoteErrorFilter([authRefusals, defaultRemoteErrorMapper]))
  class RegisterPersonRpcController {
    constructor(@Inject(RegisterPersonHandler) private readonly handler: RegisterPersonHandler) {}

    @MessagePattern(`${subjectPrefix}${CasesSubjects.PersonsRegister}`)
    @Authorize('persons.register')
    async register(@Payload() payload: unknown, @Ctx() ctx: NatsContext, @CurrentPrincipal() principal: Principal) {
      const checked = validatePersonsRegisterRequestV1(payload);
      if (!checked.ok) throw new RemoteDomainError(400, 'invalid-request', 'The request does not match the contract', { errors: checked.errors });
      const { idempotencyKey, fullName, dateOfBirth, sex, residence } = checked.value;
      casesPolicy.assertInScope(principal, 'persons.register', { unitCodes: [residence.communeCode] }, jurisdiction);
      // Field by field, so nothing the contract did not check reaches the handler.
      const request: RegisterPersonRequestDto = {
        fullName,
        dateOfBirth,
        sex,
        residence: { provinceCode: residence.provinceCode, communeCode: residence.communeCode, address: residence.address },
      };
      const invalid = this.handler.fieldErrors(request);
      if (invalid.length > 0)
        throw new RemoteDomainError(400, 'invalid-request', 'The person cannot be registered as sent', {
          errors: invalid.map((e) => `${e.field}: ${e.message}`),
        });
      const { result } = await this.handler.handle(request, principal.agency.code, idempotencyKey);
      const answer = answerRpc(result, personErrors);
      const reply: PersonsRegisterResponseV1 = { personId: answer.id, version: answer.version };
      return correlatedReply(reply, readMessageContext(ctx));
    }
  }
  return RegisterPersonRpcController;
}
