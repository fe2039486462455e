import type { AgeGroup } from './legal-regimes';
import type { LocalDate } from './local-date';

/** Full age at which a person is no longer a minor (Civil Code 2015 Art. 21). */
export const AGE_OF_MAJORITY = 18;

/**
 * The age group on the date of a decision: the full years between the date of birth and that date.
 * A person born on 29 February comes of age on 1 March in a common year.
 */
export function ageGroupOn(dateOfBirth: LocalDate, on: LocalDate): AgeGroup {
  return fullYearsBetween(dateOfBirth, on) < AGE_OF_MAJORITY ? 'MINOR' : 'ADULT';
}

export function fullYearsBetween(from: LocalDate, to: LocalDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const beforeBirthday = tm < fm || (tm === fm && td < fd);
  return ty - fy - (beforeBirthday ? 1 : 0);
}
