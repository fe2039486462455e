import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { casesPolicy, type CasesAction } from '../cases.policy';
import { PERSON_STORE, type PersonStore } from '../person/person.aggregate';
import type { RehabCaseState } from './domain';

/**
 * Scope checks for a rehab case: a case has no place of its own, it lies in the residence commune
 * of its person. Read once per request from the person's stream (the commune code is not encrypted).
 */
@Injectable()
export class RehabCaseAccess {
  constructor(@Inject(PERSON_STORE) private readonly persons: PersonStore) {}

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
}
