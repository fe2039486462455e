import { Inject, Injectable } from '@nestjs/common';
import { provinceOf } from '@haidang/jurisdiction';
import type { PersonalDataProtector } from '@haidang/pii';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR } from '../../tokens';
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

/**
 * The port through which registration learns who else might be the same person: ids from the
 * persons read model by keyed hash (same ID, or same normalized name). The read side answers it
 * (projections/persons); undefined while the read model is first built.
 */
export interface PersonCandidates {
  candidateIds(excludingPersonId: string, nameIndex: string, personalIdIndex: string | undefined): Promise<readonly string[] | undefined>;
}
export const PERSON_CANDIDATES = Symbol('PERSON_CANDIDATES');

export interface RegisterPersonOutcome {
  readonly result: CommandResult<PersonEvent>;
  readonly possibleDuplicates: readonly PossibleDuplicate[];
}

/**
 * Registers a person: validates the personal ID against date of birth and sex, appends
 * `PersonRegistered` (the aggregate encrypts the personal fields with the person's new key), and
 * reports possible duplicates.
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

  async handle(request: RegisterPersonRequestDto, agencyCode: string, idempotencyKey: string | undefined): Promise<RegisterPersonOutcome> {
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
      nameIndex,
      ...(request.personalId === undefined ? {} : { personalId: request.personalId, personalIdIndex }),
      ...(request.phone === undefined ? {} : { phone: request.phone }),
    };
    const result = await this.pipeline.execute(
      person,
      personId,
      { type: 'RegisterPerson', data },
      { expected: 'new', idempotencyKey, request: { route: 'register-person', body: { ...request } } },
    );
    return { result, possibleDuplicates: result.ok ? await this.possibleDuplicates(personId, request, personalIdIndex, nameIndex) : [] };
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
  ): Promise<PossibleDuplicate[]> {
    const ids = (await this.candidates.candidateIds(personId, nameIndex, personalIdIndex)) ?? [];
    const existing: ExistingPerson[] = [];
    for (const id of ids) {
      const loaded = await this.persons.load(id);
      if (loaded.state.status !== 'registered') continue;
      const shown = await this.protector.reveal<PersonRegisteredV1, 'fullName' | 'dateOfBirth'>(id, loaded.state.registered, ['fullName', 'dateOfBirth']);
      if (typeof shown.fullName !== 'string' || typeof shown.dateOfBirth !== 'string' || shown.fullName === '[erased]') continue;
      existing.push({
        id,
        fullName: shown.fullName,
        dateOfBirth: shown.dateOfBirth,
        ...(loaded.state.registered.personalIdIndex ? { personalId: loaded.state.registered.personalIdIndex } : {}),
      });
    }
    return findPossibleDuplicates(
      { fullName: request.fullName, dateOfBirth: request.dateOfBirth, ...(personalIdIndex ? { personalId: personalIdIndex } : {}) },
      existing,
    );
  }
}

/** A UUID derived from the agency and its idempotency key, so a retry finds the same stream (demo data finds its persons by it). */
export const personIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(person.idNamespace, agencyCode, idempotencyKey);
