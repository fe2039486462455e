import { Inject, Injectable } from '@nestjs/common';
import { recordAccess } from '@haidang/audit';
import { domainErrors, type DomainError } from '@haidang/decider';
import type { EventStore } from '@haidang/event-store';
import type { PersonalDataProtector } from '@haidang/pii';
import { PERSON_STORE, type PersonStore } from '../person/person.aggregate';
import type { PersonRegisteredV1 } from '../person/domain';
import { EVENT_STORE, PROTECTOR } from '../tokens';
import { ageGroupOn, type AgeGroup, isLocalDate, type LocalDate } from './domain';

/**
 * The port through which the write side learns how many courses of rehab a person started in other
 * cases; the read side answers it (projections/rehab-cases), the module wires the two.
 */
export interface PriorCourses {
  count(personId: string, excludingCaseId: string): Promise<number>;
}
export const PRIOR_COURSES = Symbol('PRIOR_COURSES');

const factError = domainErrors({
  'person-not-found': 'No such person.',
  'age-unknown': "the person's date of birth is not available (erased), so the legal term for their age cannot be determined",
});

/**
 * Facts about a person that the law's terms depend on and that the service derives rather than
 * takes from the caller: the age group on a decision date (from the encrypted date of birth) and
 * how many courses of rehab the person started before. Called only after the scope checks.
 */
@Injectable()
export class PersonFacts {
  constructor(
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(PRIOR_COURSES) private readonly courses: PriorCourses,
  ) {}

  /**
   * Decrypts the date of birth alone and records that access (purpose `legal-term`): the date is
   * personal data even when only an age group leaves this method.
   */
  async ageGroupOn(personId: string, decisionDate: LocalDate): Promise<AgeGroup | DomainError> {
    const { state } = await this.persons.load(personId);
    if (state.status === 'absent') return factError('person-not-found');
    if (state.status === 'erased') return factError('age-unknown');
    await recordAccess(this.store, { subjectId: personId, action: 'read', purpose: 'legal-term', fields: ['dateOfBirth'] });
    const { dateOfBirth } = await this.protector.reveal<PersonRegisteredV1, 'dateOfBirth'>(personId, state.registered, ['dateOfBirth']);
    if (!isLocalDate(dateOfBirth)) return factError('age-unknown');
    return ageGroupOn(dateOfBirth, decisionDate);
  }

  /**
   * Courses of rehab the person started in other cases (Law 120/2025 gives a later course a longer
   * term), from the read model: a course started in the last moments may not be counted yet; a
   * course lasts months, and the decision date of the next is far later.
   */
  priorCourses(personId: string, excludingCaseId: string): Promise<number> {
    return this.courses.count(personId, excludingCaseId);
  }
}
