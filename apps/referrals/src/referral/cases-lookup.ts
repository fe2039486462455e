import { Inject, Injectable } from '@nestjs/common';
import { currentAuthorization } from '@haidang/auth';
import {
  CasesSubjects,
  validatePersonsGetResponseV1,
  validateRehabCasesGetResponseV1,
  type PersonsGetResponseV1,
  type RehabCasesGetResponseV1,
  type Validation,
} from '@haidang/contracts';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { messageContextFromRequest, RemoteServiceError, ServiceUnavailableError, type ServiceClient } from '@haidang/messaging';
import { CASES_CLIENT, CASES_SUBJECT_PREFIX } from '../tokens';

/**
 * Asks the cases service, on the caller's behalf (their bearer token travels in the request's
 * headers, so cases applies the caller's own scope), whether a person or a rehab case exists and
 * may be seen. Its refusals become this service's answers: 404 when absent, 403 when the caller
 * may not see it (the sender may refer only whom it may see), 503 when cases does not answer, and
 * 422 when what cases says rules the referral out (the person was erased, the case is another's).
 */
@Injectable()
export class CasesLookup {
  constructor(
    @Inject(CASES_CLIENT) private readonly client: ServiceClient,
    @Inject(CASES_SUBJECT_PREFIX) private readonly prefix: string,
  ) {}

  async person(personId: string): Promise<PersonsGetResponseV1> {
    return checked(await this.ask('person', CasesSubjects.PersonsGet, { personId }), validatePersonsGetResponseV1);
  }

  async rehabCase(caseId: string): Promise<RehabCasesGetResponseV1> {
    return checked(await this.ask('rehab case', CasesSubjects.RehabCasesGet, { caseId }), validateRehabCasesGetResponseV1);
  }

  /** The person, who may still be referred: 422 person-erased when their data was erased (`consequence`: what cannot happen). */
  async referablePerson(personId: string, consequence: string): Promise<PersonsGetResponseV1> {
    const person = await this.person(personId);
    if (person.erased)
      throw new ProblemHttpException(
        problem({ status: 422, code: 'person-erased', detail: `This person’s data was erased on their request; ${consequence}.` }),
      );
    return person;
  }

  /** The rehab case, which must be the person's own (422 case-of-another-person). */
  async caseOfPerson(caseId: string, personId: string): Promise<RehabCasesGetResponseV1> {
    const rehabCase = await this.rehabCase(caseId);
    if (rehabCase.personId !== personId)
      throw new ProblemHttpException(problem({ status: 422, code: 'case-of-another-person', detail: 'The rehab case belongs to another person.' }));
    return rehabCase;
  }

  private async ask(what: 'person' | 'rehab case', subject: string, payload: object): Promise<unknown> {
    try {
      return await this.client.request<unknown>(`${this.prefix}${subject}`, payload, messageContextFromRequest(currentAuthorization()));
    } catch (error) {
      throw refusal(what, error);
    }
  }
}

function refusal(what: 'person' | 'rehab case', error: unknown): unknown {
  if (error instanceof ServiceUnavailableError) {
    return new ProblemHttpException(
      problem({
        status: 503,
        code: 'cases-unavailable',
        title: 'A service this request needs is unavailable',
        detail: `The cases service did not answer, so the ${what} could not be checked. Nothing was recorded; retry later.`,
      }),
    );
  }
  if (error instanceof RemoteServiceError) {
    if (error.remoteStatus === 404)
      return new ProblemHttpException(problem({ status: 404, code: `${what === 'person' ? 'person' : 'rehab-case'}-not-found`, detail: `No such ${what}.` }));
    if (error.remoteStatus === 401 || error.remoteStatus === 403) {
      return new ProblemHttpException(problem({ status: 403, code: 'forbidden', detail: `Your agency may not see this ${what}, so it cannot refer it.` }));
    }
  }
  // Anything else (a 400 from a contract mismatch, a 5xx) is a fault between the services: 502 via the platform's mapper.
  return error;
}

function checked<T>(reply: unknown, validate: (value: unknown) => Validation<T>): T {
  const result = validate(reply);
  if (!result.ok)
    throw new ProblemHttpException(
      problem({
        status: 502,
        code: 'dependency-failed',
        title: 'A service this request needs failed',
        detail: 'The cases service answered outside its contract.',
      }),
    );
  return result.value;
}
