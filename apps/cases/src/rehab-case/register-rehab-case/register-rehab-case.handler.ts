import { Inject, Injectable } from '@nestjs/common';
import { isDomainError } from '@haidang/decider';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { assertManagesForm, assertManagesUndecidedCase, casesPolicy } from '../../cases.policy';
import type { RehabCaseCommand, RehabCaseEvent } from '../domain';
import { isCedemexPilotSite } from '../cedemex-pilot-site';
import { PersonFacts } from '../person-facts';
import { RehabCaseAccess } from '../rehab-case-access';
import { rehabCase } from '../rehab-case.aggregate';
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
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
    @Inject(PersonFacts) private readonly personFacts: PersonFacts,
  ) {}

  async handle(request: RegisterRehabCaseRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<RehabCaseEvent>> {
    const commune = await this.access.communeOf(request.personId);
    if (commune === undefined)
      return { ok: false, failure: { kind: 'rejected', error: { kind: 'DomainError', code: 'person-not-found', message: 'No such person.' } } };
    casesPolicy.assertInScope(principal, 'rehab-cases.register', { unitCodes: [commune] }, jurisdiction);
    if (request.form === undefined) assertManagesUndecidedCase(principal);
    else assertManagesForm(principal, request.form);

    // A retry with the same key lands on the same stream; the store answers it from its record.
    const caseId = this.pipeline.storeOf(rehabCase).newId(principal.agency.code, idempotencyKey);
    const commands: RehabCaseCommand[] = [
      // The DTO requires `registeredOn` when there is no form, so one of the two is present.
      {
        type: 'RegisterRehabCase',
        data: {
          caseId,
          personId: request.personId,
          source: request.source,
          registeredOn: (request.registeredOn ?? request.legalBasis?.decisionDate) as string,
          priorCourses: await this.personFacts.priorCourses(request.personId, caseId),
        },
      },
    ];
    const { form, legalBasis } = request;
    if (form !== undefined && legalBasis !== undefined) {
      const ageGroup = await this.personFacts.ageGroupOn(request.personId, legalBasis.decisionDate);
      if (isDomainError(ageGroup)) return { ok: false, failure: { kind: 'rejected', error: ageGroup } };
      commands.push({
        type: 'DecideRehabForm',
        data: {
          form,
          legalBasis: { decisionNo: legalBasis.decisionNo, decisionDate: legalBasis.decisionDate, issuedBy: legalBasis.issuedBy },
          ageGroup,
          termMonths: request.termMonths ?? null,
          facilityId: request.facilityId ?? null,
          cedemexPilotSite: isCedemexPilotSite(principal, commune, legalBasis.decisionDate),
        },
      });
    }
    // The request as sent is what a retry must repeat (the course count it derives may move between tries).
    return this.pipeline.execute(rehabCase, caseId, commands, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'register-rehab-case', body: { ...request } },
    });
  }
}

/** A UUID derived from the agency and its idempotency key, so a retry finds the same stream (demo data finds its marker case by it). */
export const caseIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(rehabCase.idNamespace, agencyCode, idempotencyKey);
