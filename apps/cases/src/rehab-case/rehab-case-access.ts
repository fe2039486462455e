import { Inject, Injectable } from '@nestjs/common';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { casesPolicy, type BreakGlassReadAction, type CasesAction } from '../cases.policy';
import { PERSON_STORE, type PersonStore } from '../person/person.aggregate';
import { personSubject, ReadAccess, type ReadAuthorization } from '../read-access';
import { EVENT_STORE } from '../tokens';
import type { RehabCaseState } from './domain';

/**
 * Scope checks for a rehab case: a case has no place of its own, it lies in the residence commune
 * of its person. Read once per request from the person's stream (the commune code is not encrypted).
 */
@Injectable()
export class RehabCaseAccess {
  constructor(
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(ReadAccess) private readonly reads: ReadAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The person's residence commune, or undefined when the person does not exist. */
  async communeOf(personId: string): Promise<string | undefined> {
    const { state } = await this.persons.load(personId);
    return state.status === 'absent' ? undefined : state.registered.residence.communeCode;
  }

  /** Throws the policy's 403 when the caller's jurisdiction does not cover the case's commune. */
  async assertInScope(principal: Principal, action: CasesAction, state: RehabCaseState): Promise<void> {
    const commune = state.personId === null ? undefined : await this.communeOf(state.personId);
    // A case whose person is missing has no place: refuse rather than guess.
    casesPolicy.assertInScope(principal, action, { unitCodes: commune === undefined ? [] : [commune] }, jurisdiction);
  }

  /**
   * A read of one case: within the scope, or through the caller's open break-glass grant on the
   * case's person (or on the case itself); a read through a grant is recorded in the person's
   * access log with the grant's id before anything is shown.
   */
  async authorizeRead(principal: Principal, action: BreakGlassReadAction, caseId: string, state: RehabCaseState): Promise<ReadAuthorization> {
    const commune = state.personId === null ? undefined : await this.communeOf(state.personId);
    const subjects = [...(state.personId === null ? [] : [personSubject(state.personId)]), `RehabCase-${caseId}`];
    const allowed = await this.reads.authorize(principal, action, { unitCodes: commune === undefined ? [] : [commune] }, subjects);
    if (allowed.via === 'break-glass') {
      await recordAccess(this.store, {
        subjectId: state.personId ?? caseId,
        action: 'read',
        purpose: 'break-glass',
        fields: [action === 'rehab-cases.history' ? 'rehabCaseHistory' : 'rehabCase'],
        breakGlassGrantId: allowed.grantId,
        query: { rehabCaseId: caseId },
      });
    }
    return allowed;
  }
}
