import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { assertManagesForm, assertManagesUndecidedCase, casesPolicy } from '../../cases.policy';
import { decide, initialState, isDomainError, type RehabCaseEvent, replay } from '../domain';
import { PersonFacts } from '../person-facts';
import { RehabCaseAccess } from '../rehab-case-access';
import type { RehabCaseChange } from '../rehab-case-commands';
import { domainErrorToHttp, personNotFound } from '../rehab-case-http';
import { RehabCaseRepository } from '../rehab-case.repository';
import type { RegisterRehabCaseRequestDto } from './register-rehab-case.request.dto';

/**
 * Registers a case and, when the body gives a form, decides it: `RegisterRehabCase` then
 * `DecideRehabForm`, appended together in one transaction so no case with a form exists without its
 * legal basis. Without a form (compulsory rehab: determination first, then the court) only
 * `RehabCaseRegistered` is appended and the form comes later through `form-decision`.
 */
@Injectable()
export class RegisterRehabCaseHandler {
  constructor(
    @Inject(RehabCaseRepository) private readonly cases: RehabCaseRepository,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
    @Inject(PersonFacts) private readonly personFacts: PersonFacts,
  ) {}

  async handle(request: RegisterRehabCaseRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<RehabCaseChange> {
    const commune = await this.access.communeOf(request.personId);
    if (commune === undefined) throw personNotFound();
    casesPolicy.assertInScope(principal, 'rehab-cases.register', { unitCodes: [commune] }, jurisdiction);
    if (request.form === undefined) assertManagesUndecidedCase(principal);
    else assertManagesForm(principal, request.form);

    // A retry with the same key lands on the same stream; the store answers it from its record.
    const caseId = idempotencyKey === undefined ? randomUUID() : caseIdFor(principal.agency.code, idempotencyKey);
    const now = new Date();
    // The DTO requires `registeredOn` when there is no form, so one of the two is present.
    const registered = decide(
      { type: 'RegisterRehabCase', data: { caseId, personId: request.personId, source: request.source, registeredOn: (request.registeredOn ?? request.legalBasis?.decisionDate) as string, priorCourses: await this.personFacts.priorCourses(request.personId, caseId) } },
      initialState(),
      now,
    );
    if (isDomainError(registered)) throw domainErrorToHttp(registered);
    const { form, legalBasis } = request;
    if (form === undefined || legalBasis === undefined) {
      return { id: caseId, version: await this.cases.append(caseId, request.personId, registered, 'no_stream', idempotencyOf(idempotencyKey, request)) };
    }
    const decided = decide(
      {
        type: 'DecideRehabForm',
        data: {
          form,
          legalBasis: { decisionNo: legalBasis.decisionNo, decisionDate: legalBasis.decisionDate, issuedBy: legalBasis.issuedBy },
          ageGroup: await this.personFacts.ageGroupOn(request.personId, legalBasis.decisionDate),
          termMonths: request.termMonths ?? null,
          facilityId: request.facilityId ?? null,
        },
      },
      replay(registered),
      now,
    );
    if (isDomainError(decided)) throw domainErrorToHttp(decided);
    const events: RehabCaseEvent[] = [...registered, ...decided];
    return { id: caseId, version: await this.cases.append(caseId, request.personId, events, 'no_stream', idempotencyOf(idempotencyKey, request)) };
  }
}

/** The request as sent is what a retry must repeat (see RehabCaseRepository.append). */
function idempotencyOf(key: string | undefined, request: RegisterRehabCaseRequestDto): { key: string; request: unknown } | undefined {
  return key === undefined ? undefined : { key, request: { route: 'register-rehab-case', body: { ...request } } };
}

/** A UUID (version 8, RFC 9562) derived from the agency and its idempotency key, so a retry finds the same stream. */
export function caseIdFor(agencyCode: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`haidang:cases:rehab-case:v1:${agencyCode}:${idempotencyKey}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
