import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { PersonalDataProtector } from '@haidang/pii';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { AccessDeniedError } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import type { Principal } from '@haidang/request-context';
import { casesPolicy } from '../../cases.policy';
import { EVENT_STORE, NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR } from '../../tokens';
import {
  findPossibleDuplicates,
  validatePersonalId,
  type ExistingPerson,
  type FieldError,
  type PersonEvent,
  type PersonRegisteredV1,
  type PossibleDuplicate,
} from '../domain';
import { person, PERSON_STORE, type PersonStore } from '../person.aggregate';
import type { NameIndex } from '../person-search-keys';
import type { PersonalIdIndex } from '@haidang/pii';
import type { RegisterPersonRequestDto } from './register-person.request.dto';

/** A person who might be the one being registered, with the units that scope who may know of them. */
export interface PersonCandidate {
  readonly personId: string;
  readonly communeCode: string;
  readonly provinceCode: string;
}

/**
 * The port through which registration learns who else might be the same person: by keyed hash
 * (same ID, or same normalized name). The read side answers it (projections/persons); undefined
 * while the read model is first built.
 */
export interface PersonCandidates {
  candidates(excludingPersonId: string, nameIndex: string, personalIdIndex: string | undefined): Promise<readonly PersonCandidate[] | undefined>;
}
export const PERSON_CANDIDATES = Symbol('PERSON_CANDIDATES');

/** The erasable home of a person's keyed hashes (issue 10 §5): never in the immutable event. */
export interface PersonSearchKeys {
  record(personId: string, nameIndex: string, personalIdIndex: string | undefined): Promise<void>;
  erase(personId: string): Promise<void>;
  /** The keyed hashes of these persons' IDs, by person (persons without an ID are absent). */
  personalIdIndexes(personIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
export const PERSON_SEARCH_KEYS = Symbol('PERSON_SEARCH_KEYS');

/** A possible duplicate outside the registering agency's scope, for the province that holds the match to review. */
export interface DuplicateReviewTask {
  readonly reviewId: string;
  readonly registeredPersonId: string;
  readonly matchedPersonId: string;
  readonly provinceCode: string;
  readonly reasons: readonly string[];
  readonly registeredBy: string;
  readonly createdAt: Date;
}
export interface DuplicateReviews {
  /** Idempotent on (registered, matched): a retried registration opens no second task. */
  open(task: DuplicateReviewTask): Promise<void>;
}
export const DUPLICATE_REVIEWS = Symbol('DUPLICATE_REVIEWS');

/**
 * What every registration is told about matches it may not see, whether there are any or not:
 * the same words, the same fields, so the answer carries no bit about persons outside the scope.
 */
export const OUTSIDE_SCOPE_DUPLICATE_NOTICE =
  'Possible duplicates outside your scope, if any, are reviewed by the data-protection officer of the province that holds them; you will not be told of them.';

export interface RegisterPersonOutcome {
  readonly result: CommandResult<PersonEvent>;
  /** Only matches the registering principal may read; the others became review tasks. */
  readonly possibleDuplicates: readonly PossibleDuplicate[];
}

/**
 * Registers a person: validates the personal ID against date of birth and sex, appends
 * `PersonRegistered` (the aggregate encrypts the personal fields with the person's new key), and
 * reports the possible duplicates the caller may read. A match outside the caller's scope is not
 * reported (it would be an oracle on persons the caller may not see, issue 10 §1): it opens a
 * review task for the province that holds it, recorded in the matched person's access log.
 *
 * The keyed hashes of name and ID go to the erasable table, not into the event (issue 10 §5). They
 * are written before the append so that a registered person is never without them; if the append
 * fails and no person exists under the id, the row is deleted again.
 *
 * Idempotency: the person id is derived from (agency, key), so a retry lands on the same stream;
 * the store recognises it by the fingerprint of the request as sent and answers as the first time,
 * or refuses the key reused for another person (422).
 */
@Injectable()
export class RegisterPersonHandler {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(PERSONAL_ID_INDEX) private readonly idIndex: PersonalIdIndex,
    @Inject(NAME_INDEX) private readonly nameIndex: NameIndex,
    @Inject(PERSON_CANDIDATES) private readonly candidates: PersonCandidates,
    @Inject(PERSON_SEARCH_KEYS) private readonly searchKeys: PersonSearchKeys,
    @Inject(DUPLICATE_REVIEWS) private readonly reviews: DuplicateReviews,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** What the request gets wrong field by field (400), before anything is read or written. */
  fieldErrors(request: RegisterPersonRequestDto): readonly Pick<FieldError, 'field' | 'message'>[] {
    if (request.personalId !== undefined) {
      const checked = validatePersonalId(request.personalId, { dateOfBirth: request.dateOfBirth, sex: request.sex });
      if (!checked.ok) return checked.errors;
    }
    const residence = this.residenceErrors(request.residence);
    if (residence.length > 0) return residence;
    return this.nameIndex.of(request.fullName) === undefined ? [{ field: 'fullName', message: 'fullName must contain letters' }] : [];
  }

  /**
   * The province is the commune's, never the caller's word for it: lists scope by province and reads
   * by commune, so a mismatch would show a person to another province's agencies (issue 10, §2).
   */
  private residenceErrors(residence: RegisterPersonRequestDto['residence']): readonly Pick<FieldError, 'field' | 'message'>[] {
    const province = provinceOf(residence.communeCode, this.pipeline.clock());
    if (province === undefined) return [{ field: 'residence.communeCode', message: 'residence.communeCode must be a commune in force' }];
    if (province !== residence.provinceCode)
      return [{ field: 'residence.provinceCode', message: `residence.provinceCode must be the province of the commune (${province})` }];
    return [];
  }

  /**
   * `principal`: whose scope decides which matches are listed; without one (a service asking over
   * NATS, whose reply carries no duplicates) every match becomes a review task.
   */
  async handle(
    request: RegisterPersonRequestDto,
    agencyCode: string,
    idempotencyKey: string | undefined,
    principal?: Principal,
  ): Promise<RegisterPersonOutcome> {
    const nameIndex = this.nameIndex.of(request.fullName) as string;
    const personalIdIndex = request.personalId === undefined ? undefined : this.idIndex.blindIndex(request.personalId);
    const personId = this.persons.newId(agencyCode, idempotencyKey);
    const data: PersonRegisteredV1 = {
      personId,
      fullName: request.fullName,
      dateOfBirth: request.dateOfBirth,
      sex: request.sex,
      address: request.residence.address,
      residence: { provinceCode: request.residence.provinceCode, communeCode: request.residence.communeCode },
      ...(request.personalId === undefined ? {} : { personalId: request.personalId }),
      ...(request.phone === undefined ? {} : { phone: request.phone }),
    };
    await this.searchKeys.record(personId, nameIndex, personalIdIndex);
    const result = await this.pipeline.execute(
      person,
      personId,
      { type: 'RegisterPerson', data },
      // Without a key the id is random (newId): there is no stream to load.
      { expected: 'new', idempotencyKey, freshId: idempotencyKey === undefined, request: { route: 'register-person', body: { ...request } } },
    );
    if (!result.ok) {
      if ((await this.persons.load(personId)).state.status === 'absent') await this.searchKeys.erase(personId);
      return { result, possibleDuplicates: [] };
    }
    const found = await this.possibleDuplicates(personId, request, personalIdIndex, nameIndex);
    const visible: PossibleDuplicate[] = [];
    for (const match of found) {
      if (principal !== undefined && this.mayRead(principal, match.communeCode)) visible.push({ personId: match.personId, reasons: match.reasons });
      else await this.openReview(personId, match, agencyCode);
    }
    return { result, possibleDuplicates: visible };
  }

  private mayRead(principal: Principal, communeCode: string): boolean {
    try {
      casesPolicy.assertInScope(principal, 'persons.read', { unitCodes: [communeCode] }, jurisdiction);
      return true;
    } catch (error) {
      if (error instanceof AccessDeniedError) return false;
      throw error;
    }
  }

  private async openReview(registeredPersonId: string, match: PossibleDuplicate & PersonCandidate, registeredBy: string): Promise<void> {
    const now = this.pipeline.clock();
    await this.reviews.open({
      reviewId: deterministicUuid(person.idNamespace, 'duplicate-review', `${registeredPersonId}:${match.personId}`),
      registeredPersonId,
      matchedPersonId: match.personId,
      provinceCode: match.provinceCode,
      reasons: match.reasons,
      registeredBy,
      createdAt: now,
    });
    // The matched person's data was read (revealed and compared) on someone's behalf: the access log says so.
    await recordAccess(this.store, { subjectId: match.personId, action: 'read', purpose: 'duplicate-review', fields: ['fullName', 'dateOfBirth'] }, now);
  }

  /**
   * Candidates come from the read model by keyed hash; their birth year is revealed from their own
   * events, so no birth date sits in the read model. The read model is eventually consistent: a
   * person registered a moment ago may not show yet.
   */
  private async possibleDuplicates(
    personId: string,
    request: RegisterPersonRequestDto,
    personalIdIndex: string | undefined,
    nameIndex: string,
  ): Promise<(PossibleDuplicate & PersonCandidate)[]> {
    const candidates = (await this.candidates.candidates(personId, nameIndex, personalIdIndex)) ?? [];
    const byId = new Map(candidates.map((c) => [c.personId, c]));
    const idIndexes = await this.searchKeys.personalIdIndexes(candidates.map((c) => c.personId));
    const existing: ExistingPerson[] = [];
    for (const { personId: id } of candidates) {
      const loaded = await this.persons.load(id);
      if (loaded.state.status !== 'registered') continue;
      const shown = await this.protector.reveal<PersonRegisteredV1, 'fullName' | 'dateOfBirth'>(id, loaded.state.registered, ['fullName', 'dateOfBirth']);
      if (typeof shown.fullName !== 'string' || typeof shown.dateOfBirth !== 'string' || shown.fullName === '[erased]') continue;
      const otherIdIndex = idIndexes.get(id);
      existing.push({ id, fullName: shown.fullName, dateOfBirth: shown.dateOfBirth, ...(otherIdIndex ? { personalId: otherIdIndex } : {}) });
    }
    return findPossibleDuplicates(
      { fullName: request.fullName, dateOfBirth: request.dateOfBirth, ...(personalIdIndex ? { personalId: personalIdIndex } : {}) },
      existing,
    ).flatMap((d) => {
      const candidate = byId.get(d.personId);
      return candidate === undefined ? [] : [{ ...d, ...candidate }];
    });
  }
}

/** A UUID derived from the agency and its idempotency key, so a retry finds the same stream (demo data finds its persons by it). */
export const personIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(person.idNamespace, agencyCode, idempotencyKey);
