import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersionError } from '@haidang/event-store';
import { problem, ProblemHttpException, validationProblem } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { CLOCK } from '../../tokens';
import { CasesLookup } from '../cases-lookup';
import { decide, domainError, initialState, isDomainError, type ReferralCommand } from '../domain';
import type { ReferralChange } from '../referral-commands';
import { domainErrorToHttp } from '../referral-http';
import { ReferralRepository } from '../referral.repository';
import type { CreateReferralRequestDto } from './create-referral.request.dto';

/**
 * Creates a referral from the caller's agency: sent at once (`CreateReferral`) or kept as a draft
 * (`ProposeReferral`). Before deciding, the cases service is asked with the caller's own token
 * whether the person (and the case) exist and may be seen by the caller: an agency refers only
 * whom it may see. Nothing is appended unless cases answered yes.
 */
@Injectable()
export class CreateReferralHandler {
  constructor(
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(CasesLookup) private readonly cases: CasesLookup,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async handle(request: CreateReferralRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<ReferralChange> {
    if (request.draft === true && request.dueBy !== undefined) {
      throw new ProblemHttpException(validationProblem([{ field: 'dueBy', message: 'a draft gets its due date when it is sent: give dueBy with the sending' }]));
    }
    const person = await this.cases.person(request.personId);
    if (person.erased) throw new ProblemHttpException(problem({ status: 422, code: 'person-erased', detail: 'This person’s data was erased on their request; they cannot be referred.' }));
    if (request.caseId !== undefined) {
      const rehabCase = await this.cases.rehabCase(request.caseId);
      if (rehabCase.personId !== request.personId) throw new ProblemHttpException(problem({ status: 422, code: 'case-of-another-person', detail: 'The rehab case belongs to another person.' }));
    }

    // A retry with the same key lands on the same stream; the store answers it from its record.
    const referralId = idempotencyKey === undefined ? randomUUID() : referralIdFor(principal.agency.code, idempotencyKey);
    const details = {
      referralId,
      personId: request.personId,
      caseId: request.caseId ?? null,
      fromAgency: principal.agency.code,
      serviceType: request.serviceType,
      reason: request.reason,
      urgency: request.urgency,
      sharesTreatmentData: request.sharesTreatmentData ?? false,
      consent: request.consent ? { given: request.consent.given, recordedOn: request.consent.recordedOn, scope: { services: [...request.consent.scope.services], treatmentData: request.consent.scope.treatmentData } } : null,
      legalBasis: request.legalBasis ? { decisionNo: request.legalBasis.decisionNo, decisionDate: request.legalBasis.decisionDate, lawArticle: request.legalBasis.lawArticle } : null,
    };
    const command: ReferralCommand =
      request.draft === true
        ? { type: 'ProposeReferral', data: { ...details, toAgency: request.toAgency ?? null } }
        : { type: 'CreateReferral', data: { ...details, toAgency: request.toAgency ?? '', dueBy: request.dueBy ?? null } };
    let events = decide(command, initialState(), this.clock());
    if (isDomainError(events) && idempotencyKey !== undefined) {
      // A retry may be refused today by a rule of dates it met then (a due date now past): decide it
      // as it was when first recorded; the store then answers from its record.
      const then = await this.referrals.recordedAt(referralId, 0);
      if (then !== undefined) events = decide(command, initialState(), then);
    }
    if (isDomainError(events)) throw domainErrorToHttp(events);
    // Fingerprinted as sent (no day decided here), so a retry the next day is recognised as the same request.
    const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: { command: command.type, data: command.data } };
    try {
      return { id: referralId, version: await this.referrals.append(referralId, request.personId, events, 'no_stream', idempotency) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw domainErrorToHttp(domainError('referral-already-exists'));
      throw error;
    }
  }
}

/** A UUID (version 8, RFC 9562) derived from the agency and its idempotency key, so a retry finds the same stream. */
export function referralIdFor(agencyCode: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`haidang:referrals:referral:v1:${agencyCode}:${idempotencyKey}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
