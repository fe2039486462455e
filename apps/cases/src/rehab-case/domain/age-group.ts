import type { AgeGroup } from './legal-regimes';
import type { LocalDate } from './local-date';

/** Full age at which a person is no longer a minor (Civil Code 2015 Art. 21). */
export const AGE_OF_MAJORITY = 18;

/** Full age from which compulsory rehab may be ordered (Law 73/2021 Art. 33: persons from full 12 to under 18). */
export const MINIMUM_AGE_FOR_COMPULSORY_REHAB = 12;

/**
 * The age group on the date of a decision: the full years between the date of birth and that date.
 * A person born on 29 February comes of age on 1 March in a common year.
 */
export function ageGroupOn(dateOfBirth: LocalDate, on: LocalDate): AgeGroup {
  const years = fullYearsBetween(dateOfBirth, on);
  if (years < MINIMUM_AGE_FOR_COMPULSORY_REHAB) return 'CHILD';
  return years < AGE_OF_MAJORITY ? 'MINOR' : 'ADULT';
}

export function fullYearsBetween(from: LocalDate, to: LocalDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const beforeBirthday = tm < fm || (tm === fm && td < fd);
  return ty - fy - (beforeBirthday ? 1 : 0);
}
