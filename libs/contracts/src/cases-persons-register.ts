import { rules, validateShape, type FieldRule, type Validation } from './validate';

/**
 * `cases.persons.register` v1: another service registers a person in `cases` on its user's behalf
 * (the user's token travels in the request headers, so cases applies that user's own scope), e.g.
 * the border guard registering a trafficking victim received from China. The request carries
 * personal data by necessity (cases encrypts it with the person's new key before it reaches its
 * log; nothing here may be logged); the reply carries ids only.
 *
 * Idempotent: `idempotencyKey` plays the Idempotency-Key of `POST /api/v1/persons`. The same key from
 * the same agency always answers the same person, whether the first request was answered or lost;
 * the key reused for a different person is refused (422).
 */
export interface PersonsRegisterRequestV1 {
  /** The caller's deterministic key for this registration, e.g. `cross-border:handed-over-person:<id>`. */
  readonly idempotencyKey: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly sex: 'MALE' | 'FEMALE';
  readonly residence: { readonly provinceCode: string; readonly communeCode: string; readonly address: string };
}

export interface PersonsRegisterResponseV1 {
  readonly personId: string;
  /** The person stream's version after the registration (0 for a first registration). */
  readonly version: number;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;
const text =
  (max: number): FieldRule =>
  (v) =>
    typeof v === 'string' && v.trim() !== '' && v.length <= max ? undefined : `must be a text of 1 to ${max} characters`;

const residence: FieldRule = (value) => {
  const checked = validateShape<PersonsRegisterRequestV1['residence']>(value, {
    provinceCode: rules.digits(2),
    communeCode: rules.digits(5),
    address: text(300),
  });
  return checked.ok ? undefined : checked.errors.join('; ');
};

export function validatePersonsRegisterRequestV1(value: unknown): Validation<PersonsRegisterRequestV1> {
  return validateShape(value, {
    idempotencyKey: (v) => (typeof v === 'string' && IDEMPOTENCY_KEY.test(v) ? undefined : 'must be 8 to 200 of A-Z a-z 0-9 . _ : -'),
    fullName: text(200),
    dateOfBirth: rules.localDate,
    sex: rules.oneOf(['MALE', 'FEMALE']),
    residence,
  });
}

export function validatePersonsRegisterResponseV1(value: unknown): Validation<PersonsRegisterResponseV1> {
  return validateShape(value, { personId: rules.uuid, version: rules.version });
}
