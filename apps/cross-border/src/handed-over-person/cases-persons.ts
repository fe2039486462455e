import { Inject, Injectable } from '@nestjs/common';
import { currentAuthorization } from '@haidang/auth';
import { CasesSubjects, validatePersonsRegisterResponseV1, type PersonsRegisterRequestV1 } from '@haidang/contracts';
import { problem, ProblemHttpException, validationProblem } from '@haidang/http-platform';
import { messageContextFromRequest, RemoteServiceError, ServiceUnavailableError, type ServiceClient } from '@haidang/messaging';
import { CASES_CLIENT, CASES_SUBJECT_PREFIX } from '../tokens';

/**
 * Registers a received person in `cases` (`cases.persons.register`) on the receiving officer's
 * behalf: their bearer token travels with the request, so cases applies that officer's own scope.
 * The key is derived from the handed-over person's id, itself derived from the record's, so every
 * retry of the handover asks for the same registration and cases answers the same person.
 */
@Injectable()
export class CasesPersons {
  constructor(
    @Inject(CASES_CLIENT) private readonly client: ServiceClient,
    @Inject(CASES_SUBJECT_PREFIX) private readonly prefix: string,
  ) {}

  /** The person's id in cases; `field` names the request's part in a 400 (e.g. `persons[0].support`). */
  async register(request: PersonsRegisterRequestV1, field: string): Promise<string> {
    let reply: unknown;
    try {
      reply = await this.client.request<unknown>(`${this.prefix}${CasesSubjects.PersonsRegister}`, request, messageContextFromRequest(currentAuthorization()));
    } catch (error) {
      throw refusal(error, field);
    }
    const checked = validatePersonsRegisterResponseV1(reply);
    if (!checked.ok)
      throw new ProblemHttpException(
        problem({
          status: 502,
          code: 'dependency-failed',
          title: 'A service this request needs failed',
          detail: 'The cases service answered outside its contract.',
        }),
      );
    return checked.value.personId;
  }
}

/** The cases service's answer as this service's: nothing was recorded here in any of these cases. */
function refusal(error: unknown, field: string): unknown {
  if (error instanceof ServiceUnavailableError)
    return new ProblemHttpException(
      problem({
        status: 503,
        code: 'cases-unavailable',
        title: 'A service this request needs is unavailable',
        detail:
          'The cases service did not answer, so the persons who need support could not be registered. Nothing was recorded; retry with the same Idempotency-Key.',
      }),
    );
  if (error instanceof RemoteServiceError) {
    if (error.remoteStatus === 401 || error.remoteStatus === 403)
      return new ProblemHttpException(
        problem({
          status: 403,
          code: 'forbidden',
          detail: 'The cases service refused to register the person for your agency (their home commune is outside your scope).',
        }),
      );
    if (error.remoteStatus === 400) {
      const details = error.details as { errors?: unknown } | undefined;
      const messages = Array.isArray(details?.errors) ? details.errors.filter((e): e is string => typeof e === 'string') : [];
      return new ProblemHttpException(
        validationProblem((messages.length > 0 ? messages : ['is refused by the cases service']).map((message) => ({ field, message }))),
      );
    }
    if (error.remoteStatus === 409 || error.remoteStatus === 422)
      return new ProblemHttpException(problem({ status: 422, code: 'cases-refused', detail: `The cases service refused the registration: ${error.code}.` }));
  }
  return error;
}
