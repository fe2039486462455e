import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { recordAccess } from '@haidang/audit';
import type { PostgresEventStore } from '@haidang/event-store';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import type { PersonalDataProtector } from '@haidang/pii';
import { PersonRepository } from '../person/person.repository';
import type { PersonRegisteredV1 } from '../person/person.decider';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { rehabCasesProjection } from '../projections/rehab-cases/rehab-cases.projection';
import { EVENT_STORE, PROTECTOR, READ_MODEL } from '../tokens';
import { ageGroupOn, type AgeGroup, isLocalDate, type LocalDate } from './domain';
import { personNotFound } from './rehab-case-http';

const FIRST_BUILD_WAIT_MS = 10_000;

/**
 * Facts about a person that the law's terms depend on and that the service derives rather than
 * takes from the caller: the age group on a decision date (from the encrypted date of birth) and
 * how many courses of rehab the person started before. Called only after the scope checks.
 */
@Injectable()
export class PersonFacts {
  constructor(
    @Inject(PersonRepository) private readonly persons: PersonRepository,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  /**
   * Decrypts the date of birth alone and records that access (purpose `legal-term`): the date is
   * personal data even when only an age group leaves this method.
   */
  async ageGroupOn(personId: string, decisionDate: LocalDate): Promise<AgeGroup> {
    const { state } = await this.persons.load(personId);
    if (state.status === 'absent') throw personNotFound();
    const unknownAge = () =>
      new ProblemHttpException(
        problem({ status: 422, code: 'age-unknown', detail: "the person's date of birth is not available (erased), so the legal term for their age cannot be determined" }),
      );
    if (state.status === 'erased') throw unknownAge();
    await recordAccess(this.store, { subjectId: personId, action: 'read', purpose: 'legal-term', fields: ['dateOfBirth'] });
    const { dateOfBirth } = await this.protector.reveal<PersonRegisteredV1, 'dateOfBirth'>(personId, state.registered, ['dateOfBirth']);
    if (!isLocalDate(dateOfBirth)) throw unknownAge();
    return ageGroupOn(dateOfBirth, decisionDate);
  }

  /**
   * Courses of rehab the person started in other cases (Law 120/2025 gives a later course a longer
   * term). From the read model, so a course started in the last moments may not be counted yet; a
   * course lasts months, and the decision date of the next is far later.
   */
  async priorCourses(personId: string, excludingCaseId: string): Promise<number> {
    const count = () =>
      withReadModel(this.readModel, rehabCasesProjection.name, (em) =>
        em.query('SELECT count(*) AS courses FROM rehab_case_row WHERE person_id = $1 AND case_id <> $2 AND started_on IS NOT NULL', [personId, excludingCaseId]) as Promise<
          { courses: string }[]
        >,
      );
    // The first build of the read model (a new database) takes moments; a rebuild of a new version
    // keeps the old one active, so only the very first start waits here.
    const deadline = Date.now() + FIRST_BUILD_WAIT_MS;
    for (;;) {
      try {
        const [row] = await count();
        return Number(row?.courses ?? 0);
      } catch (error) {
        if (!(error instanceof ProjectionNotActiveError)) throw error;
        if (Date.now() > deadline) {
          throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'The service is still building its records after a start. Try again shortly.' }));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
