import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '@haidang/event-store';
import { ProblemHttpException, validationProblem } from '@haidang/http-platform';
import { type PersonalDataProtector, type PersonalIdIndex } from '@haidang/pii';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { findPossibleDuplicates, validatePersonalId, type ExistingPerson, type PossibleDuplicate } from '../domain';
import { NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR, READ_MODEL } from '../../tokens';
import { personsProjection } from '../../projections/persons/persons.projection';
import { decidePerson, type PersonRegisteredV1 } from '../person.decider';
import { personErrorToHttp } from '../person-http';
import { PersonRepository } from '../person.repository';
import type { NameIndex } from '../person-search-keys';
import type { RegisterPersonRequestDto } from './register-person.request.dto';

export const REGISTERED_PERSONAL_FIELDS = ['fullName', 'personalId', 'dateOfBirth', 'address', 'phone'] as const;
export type RegisteredPersonalField = (typeof REGISTERED_PERSONAL_FIELDS)[number];

export interface RegisterPersonResult {
  readonly id: string;
  readonly version: number;
  readonly possibleDuplicates: readonly PossibleDuplicate[];
}

/**
 * Registers a person: validates the personal ID against date of birth and sex, encrypts the
 * personal fields, appends `PersonRegistered`, and reports possible duplicates.
 *
 * Idempotency: the ciphertexts differ on every try (random IVs), so the store's request hash cannot
 * recognise a retry on its own. The person id is therefore derived from (agency, key): a retry
 * lands on the same stream, finds it written and answers as the first time when the request is the
 * same (compared after decryption), or 422 when the key is reused for another person.
 */
@Injectable()
export class RegisterPersonHandler {
  constructor(
    @Inject(PersonRepository) private readonly persons: PersonRepository,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(PERSONAL_ID_INDEX) private readonly idIndex: PersonalIdIndex,
    @Inject(NAME_INDEX) private readonly nameIndex: NameIndex,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  async handle(request: RegisterPersonRequestDto, agencyCode: string, idempotencyKey: string | undefined): Promise<RegisterPersonResult> {
    if (request.personalId !== undefined) {
      const checked = validatePersonalId(request.personalId, { dateOfBirth: request.dateOfBirth, sex: request.sex });
      if (!checked.ok) throw new ProblemHttpException(validationProblem(checked.errors.map(({ field, message }) => ({ field, message }))));
    }
    const nameIndex = this.nameIndex.of(request.fullName);
    if (nameIndex === undefined) throw new ProblemHttpException(validationProblem([{ field: 'fullName', message: 'fullName must contain letters' }]));
    const personalIdIndex = request.personalId === undefined ? undefined : this.idIndex.blindIndex(request.personalId);

    const personId = idempotencyKey === undefined ? randomUUID() : personIdFor(agencyCode, idempotencyKey);
    if (idempotencyKey !== undefined) {
      const earlier = await this.replay(personId, request, idempotencyKey);
      if (earlier) return earlier;
    }
    const duplicates = await this.possibleDuplicates(personId, request, personalIdIndex, nameIndex);

    const plain = {
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
    const data = (await this.protector.protect(personId, plain, REGISTERED_PERSONAL_FIELDS)) as PersonRegisteredV1;
    const events = decidePerson({ type: 'RegisterPerson', data }, { status: 'absent' });
    if (typeof events === 'string') throw personErrorToHttp(events);
    try {
      const version = await this.persons.append(personId, events, 'no_stream', idempotencyKey);
      return { id: personId, version, possibleDuplicates: duplicates };
    } catch (error) {
      // A concurrent request with the same key won the race: answer as it did.
      if (idempotencyKey !== undefined && (error instanceof WrongExpectedVersionError || error instanceof IdempotencyKeyReusedError)) {
        const earlier = await this.replay(personId, request, idempotencyKey);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  private async replay(personId: string, request: RegisterPersonRequestDto, idempotencyKey: string): Promise<RegisterPersonResult | undefined> {
    const loaded = await this.persons.load(personId);
    if (loaded.state.status === 'absent') return undefined;
    const stored = await this.protector.reveal<PersonRegisteredV1, RegisteredPersonalField>(personId, loaded.state.registered, REGISTERED_PERSONAL_FIELDS);
    const same =
      stored.fullName === request.fullName &&
      stored.personalId === request.personalId &&
      stored.dateOfBirth === request.dateOfBirth &&
      stored.sex === request.sex &&
      stored.address === request.residence.address &&
      stored.phone === request.phone &&
      stored.residence.provinceCode === request.residence.provinceCode &&
      stored.residence.communeCode === request.residence.communeCode;
    if (!same) throw new IdempotencyKeyReusedError(idempotencyKey);
    const registered = loaded.state.registered;
    return { id: personId, version: 0, possibleDuplicates: await this.possibleDuplicates(personId, request, registered.personalIdIndex, registered.nameIndex) };
  }

  /**
   * Candidates come from the persons read model by keyed hash (same ID, or same normalized name);
   * their birth year is revealed from their own events, so no birth date sits in the read model.
   * The read model is eventually consistent: a person registered a moment ago may not show yet.
   */
  private async possibleDuplicates(personId: string, request: RegisterPersonRequestDto, personalIdIndex: string | undefined, nameIndex: string): Promise<PossibleDuplicate[]> {
    let ids: string[];
    try {
      ids = await withReadModel(this.readModel, personsProjection.name, async (em) => {
        const rows = (await em.query(
          `SELECT person_id FROM person_row WHERE NOT erased AND person_id <> $1 AND (name_index = $2 OR ($3::text IS NOT NULL AND personal_id_index = $3)) ORDER BY registered_at LIMIT 50`,
          [personId, nameIndex, personalIdIndex ?? null],
        )) as { person_id: string }[];
        return rows.map((r) => r.person_id);
      });
    } catch (error) {
      if (error instanceof ProjectionNotActiveError) return [];
      throw error;
    }
    const existing: ExistingPerson[] = [];
    for (const id of ids) {
      const loaded = await this.persons.load(id);
      if (loaded.state.status !== 'registered') continue;
      const shown = await this.protector.reveal<PersonRegisteredV1, 'fullName' | 'dateOfBirth'>(id, loaded.state.registered, ['fullName', 'dateOfBirth']);
      if (typeof shown.fullName !== 'string' || typeof shown.dateOfBirth !== 'string' || shown.fullName === '[erased]') continue;
      existing.push({ id, fullName: shown.fullName, dateOfBirth: shown.dateOfBirth, ...(loaded.state.registered.personalIdIndex ? { personalId: loaded.state.registered.personalIdIndex } : {}) });
    }
    return findPossibleDuplicates({ fullName: request.fullName, dateOfBirth: request.dateOfBirth, ...(personalIdIndex ? { personalId: personalIdIndex } : {}) }, existing);
  }
}

/** A UUID (version 8, RFC 9562) derived from the agency and its idempotency key, so a retry finds the same stream. */
export function personIdFor(agencyCode: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`haidang:cases:person:v1:${agencyCode}:${idempotencyKey}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
