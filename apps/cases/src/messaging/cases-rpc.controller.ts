import { Controller, Inject, UseFilters, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { AccessDeniedError, Authorize, CurrentPrincipal, UnauthenticatedError } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import {
  CONTRACT_REHAB_FORMS,
  CasesSubjects,
  validatePersonsGetRequestV1,
  validateRehabCasesGetRequestV1,
  type ContractRehabForm,
  type PersonsGetResponseV1,
  type RehabCasesGetResponseV1,
  type Validation,
} from '@haidang/contracts';
import type { EventStore } from '@haidang/event-store';
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
import { casesPolicy } from '../cases.policy';
import { PERSON_STORE, type PersonStore } from '../person/person.aggregate';
import { REHAB_FORMS } from '../rehab-case/domain';
import { RehabCaseAccess } from '../rehab-case/rehab-case-access';
import { REHAB_CASE_STORE, type RehabCaseStore } from '../rehab-case/rehab-case.aggregate';
import { EVENT_STORE } from '../tokens';

// Compile-time check that the contract still names every form the service can hold.
const formsInContract: readonly ContractRehabForm[] = REHAB_FORMS;
void formsInContract;
void CONTRACT_REHAB_FORMS;

/**
 * Auth refusals keep their own code (`unauthenticated` / `forbidden`) and fixed wording. This
 * filter sits on the controller, so it answers before the HTTP app's global problem+json filter,
 * which does not speak RPC.
 */
const authRefusals: RemoteErrorMapper = (error) =>
  error instanceof UnauthenticatedError || error instanceof AccessDeniedError
    ? { status: error.problem.status, code: error.code, message: error.problem.detail }
    : undefined;

function valid<T>(result: Validation<T>): T {
  if (!result.ok) throw new RemoteDomainError(400, 'invalid-request', 'The request does not match the contract', { errors: result.errors });
  return result.value;
}

function notFound(what: 'person' | 'rehab case'): RemoteDomainError {
  return new RemoteDomainError(404, 'not-found', `No such ${what}.`);
}

/**
 * The cases service's request/reply handlers (issue 4 §5), on NATS or the in-process transport.
 * Replies are the libs/contracts v1 shapes, built field by field so nothing else can slip in, with
 * the caller's correlation id in the reply headers.
 *
 * `subjectPrefix` is empty in every deployment; tests give one of their own so that concurrent runs
 * on one nats-server never answer each other's requests.
 */
export function casesRpcController(subjectPrefix = ''): Type<unknown> {
  @Controller()
  @UseFilters(new RemoteErrorFilter([authRefusals, defaultRemoteErrorMapper]))
  class CasesRpcController {
    constructor(
      @Inject(PERSON_STORE) private readonly persons: PersonStore,
      @Inject(REHAB_CASE_STORE) private readonly cases: RehabCaseStore,
      @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
      @Inject(EVENT_STORE) private readonly store: EventStore,
    ) {}

    @MessagePattern(`${subjectPrefix}${CasesSubjects.PersonsGet}`)
    @Authorize('persons.lookup')
    async getPerson(@Payload() payload: unknown, @Ctx() ctx: NatsContext, @CurrentPrincipal() principal: Principal) {
      const { personId } = valid(validatePersonsGetRequestV1(payload));
      const { state, version } = await this.persons.load(personId);
      if (state.status === 'absent') throw notFound('person');
      const residence = state.registered.residence;
      casesPolicy.assertInScope(principal, 'persons.lookup', { unitCodes: [residence.communeCode] }, jurisdiction);
      // Even without a name, "this id is in the register, in this commune" is about a person: recorded.
      await recordAccess(this.store, {
        subjectId: personId,
        action: 'read',
        purpose: 'referral-check',
        fields: ['residence.communeCode', 'residence.provinceCode'],
      });
      const reply: PersonsGetResponseV1 = {
        personId,
        communeCode: residence.communeCode,
        provinceCode: residence.provinceCode,
        erased: state.status === 'erased',
        version,
      };
      return correlatedReply(reply, readMessageContext(ctx));
    }

    @MessagePattern(`${subjectPrefix}${CasesSubjects.RehabCasesGet}`)
    @Authorize('rehab-cases.lookup')
    async getRehabCase(@Payload() payload: unknown, @Ctx() ctx: NatsContext, @CurrentPrincipal() principal: Principal) {
      const { caseId } = valid(validateRehabCasesGetRequestV1(payload));
      const { state, version } = await this.cases.load(caseId);
      if (state.status === 'NONE' || state.personId === null) throw notFound('rehab case');
      const communeCode = await this.access.communeOf(state.personId);
      // A case whose person is missing has no place, so nobody's scope covers it.
      if (communeCode === undefined) throw new AccessDeniedError('out-of-scope');
      casesPolicy.assertInScope(principal, 'rehab-cases.lookup', { unitCodes: [communeCode] }, jurisdiction);
      const reply: RehabCasesGetResponseV1 = { caseId, personId: state.personId, status: state.status, form: state.form, communeCode, version };
      return correlatedReply(reply, readMessageContext(ctx));
    }
  }
  return CasesRpcController;
}
