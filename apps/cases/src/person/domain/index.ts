export { validatePersonalId } from './personal-id';
export type { Sex, FieldError, ValidationResult, PersonalIdFacts } from './personal-id';
export { BIRTH_REGISTRATION_PROVINCE_CODES } from './province-codes.data';
export { normalizeName } from './name';
export { findPossibleDuplicates, BIRTH_YEAR_TOLERANCE } from './duplicates';
export type { PersonForMatching, ExistingPerson, DuplicateReason, PossibleDuplicate } from './duplicates';
export * from './person.decider';
