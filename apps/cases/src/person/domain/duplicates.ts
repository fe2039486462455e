import { normalizeName } from './name';

export interface PersonForMatching {
  readonly fullName: string;
  /**
   * Compared for equality only, so the caller may pass the keyed hash of the ID instead of the ID
   * (the service stores personal IDs encrypted). Absent for persons who have none.
   */
  readonly personalId?: string;
  /** ISO `YYYY-MM-DD`, or `YYYY` when only the year is known. */
  readonly dateOfBirth: string;
}

export interface ExistingPerson extends PersonForMatching {
  readonly id: string;
}

export type DuplicateReason = 'same-personal-id' | 'same-name-close-birth-year';

export interface PossibleDuplicate {
  readonly personId: string;
  readonly reasons: readonly DuplicateReason[];
}

/** Birth years this far apart still match: records are often a year off (lunar vs solar year). */
export const BIRTH_YEAR_TOLERANCE = 1;

/** Possible duplicates of `candidate` among `existing`, in the order given. */
export function findPossibleDuplicates(candidate: PersonForMatching, existing: readonly ExistingPerson[]): PossibleDuplicate[] {
  const name = normalizeName(candidate.fullName);
  const year = birthYear(candidate.dateOfBirth);
  const found: PossibleDuplicate[] = [];
  for (const other of existing) {
    const reasons: DuplicateReason[] = [];
    if (candidate.personalId !== undefined && candidate.personalId === other.personalId) {
      reasons.push('same-personal-id');
    }
    const otherYear = birthYear(other.dateOfBirth);
    if (
      name !== '' &&
      name === normalizeName(other.fullName) &&
      year !== undefined &&
      otherYear !== undefined &&
      Math.abs(year - otherYear) <= BIRTH_YEAR_TOLERANCE
    ) {
      reasons.push('same-name-close-birth-year');
    }
    if (reasons.length > 0) found.push({ personId: other.id, reasons });
  }
  return found;
}

function birthYear(date: string): number | undefined {
  const match = /^(\d{4})(?:-\d{2}-\d{2})?$/.exec(date);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
