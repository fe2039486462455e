import { BIRTH_REGISTRATION_PROVINCE_CODES } from './province-codes.data';

export type Sex = 'MALE' | 'FEMALE';

/** A rejected field, ready for a 400 problem+json. The message never repeats the value given. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly errors: readonly FieldError[] };

export interface PersonalIdFacts {
  /** ISO `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  readonly sex: Sex;
}

const FIELD = 'personalId';

/**
 * The 4th digit encodes century and sex: even = male, odd = female; 0/1 = 1900s, 2/3 = 2000s,
 * 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s (Circular 07/2016/TT-BCA, Art. 7).
 */
function decodeCenturyAndSex(digit: number): { centuryStart: number; sex: Sex } {
  return { centuryStart: 1900 + Math.floor(digit / 2) * 100, sex: digit % 2 === 0 ? 'MALE' : 'FEMALE' };
}

/**
 * Checks a 12-digit personal ID against the date of birth and sex given with it. It proves only
 * consistency, not that the card exists, and says nothing about today's jurisdiction.
 */
export function validatePersonalId(id: string, facts: PersonalIdFacts): ValidationResult {
  if (!/^\d{12}$/.test(id)) {
    return fail([{ field: FIELD, code: 'format', message: 'personalId must be exactly 12 digits' }]);
  }
  const errors: FieldError[] = [];
  if (!(id.slice(0, 3) in BIRTH_REGISTRATION_PROVINCE_CODES)) {
    errors.push({ field: FIELD, code: 'province', message: 'personalId: the first 3 digits are not a known province-of-birth-registration code' });
  }
  const birthYear = /^(\d{4})-\d{2}-\d{2}$/.exec(facts.dateOfBirth)?.[1];
  const { centuryStart, sex } = decodeCenturyAndSex(Number(id[3]));
  if (sex !== facts.sex) {
    errors.push({ field: FIELD, code: 'sex', message: 'personalId: the 4th digit (century and sex) disagrees with sex' });
  }
  if (birthYear === undefined) {
    errors.push({ field: 'dateOfBirth', code: 'format', message: 'dateOfBirth must be a date YYYY-MM-DD' });
  } else {
    const year = Number(birthYear);
    if (year < centuryStart || year >= centuryStart + 100) {
      errors.push({ field: FIELD, code: 'century', message: 'personalId: the 4th digit (century and sex) disagrees with the century of dateOfBirth' });
    }
    if (id.slice(4, 6) !== birthYear.slice(2)) {
      errors.push({ field: FIELD, code: 'birth-year', message: 'personalId: the 5th and 6th digits disagree with the year of dateOfBirth' });
    }
  }
  return errors.length === 0 ? { ok: true } : fail(errors);
}

function fail(errors: readonly FieldError[]): ValidationResult {
  return { ok: false, errors };
}
