import type { AdministrativeUnit } from './administrative-unit';
import type { FormerCommuneMatch, JurisdictionCovers, UnitCounts } from './jurisdiction';
import { responsibleUnit, type PersonJurisdiction } from './responsible-unit';
import { shippedJurisdiction as shipped } from './shipped-data';
import type { IndexReport } from './unit-index';

// Plain functions over the shipped data, for callers that need no other data set. `at` defaults
// to now; `recordedAt` says when a stored code was written, for the few codes whose meaning
// changed on 2025-07-01 (it defaults to `at`).

/** The unit `code` names at `at` (no mapping): a 2025-07-01 unit, or a former commune before then. */
export function findUnit(code: string, at?: Date): AdministrativeUnit | undefined {
  return shipped.findUnit(code, at);
}

/** The unit(s) in force at `at` that hold what `code` named; several when a commune was split. */
export function currentSuccessorsOf(code: string, at?: Date, recordedAt?: Date): readonly AdministrativeUnit[] {
  return shipped.currentSuccessorsOf(code, at, recordedAt);
}

/** Province code (34-province map) holding what `code` names; undefined when unknown or ambiguous. */
export function provinceOf(code: string, at?: Date, recordedAt?: Date): string | undefined {
  return shipped.provinceOf(code, at, recordedAt);
}

/**
 * Whether a principal whose jurisdiction is `principalUnits` (codes in force: provinces and/or
 * communes) may see a record attributed to `unitCode`. Deny by default: unknown codes, an empty
 * jurisdiction or an invalid date cover nothing.
 */
export function covers(principalUnits: readonly string[], unitCode: string, at: Date, recordedAt?: Date): boolean {
  return shipped.covers(principalUnits, unitCode, at, recordedAt);
}

/** `covers` applied to a person's responsible unit (home commune), never to where they are now. */
export function coversPerson(principalUnits: readonly string[], person: PersonJurisdiction, at: Date): boolean {
  return shipped.covers(principalUnits, responsibleUnit(person), at);
}

/** Provinces in force at `at`, by code; empty before 2025-07-01 (the data has no former provinces). */
export function listProvinces(at?: Date): readonly AdministrativeUnit[] {
  return shipped.listProvinces(at);
}

/** Communes of a province at `at`; before 2025-07-01, the former communes now inside it. */
export function listCommunes(provinceCode: string, at?: Date): readonly AdministrativeUnit[] {
  return shipped.listCommunes(provinceCode, at);
}

export function countUnits(at?: Date): UnitCounts {
  return shipped.countUnits(at);
}

/** A former commune by its name within its district (records that name a commune the data lists without a code). */
export function findFormerCommuneByName(provinceCode: string, districtName: string, communeName: string): FormerCommuneMatch | undefined {
  return shipped.findFormerCommuneByName(provinceCode, districtName, communeName);
}

/** The unit's name as it was on `on` (`YYYY-MM-DD`): a decision records its issuing unit as then named. */
export function unitNameOn(code: string, on: string): string | undefined {
  return shipped.unitNameOn(code, on);
}

/** What the data set holds and what the build dropped. */
export function jurisdictionReport(): IndexReport {
  return shipped.report();
}

/** Implements `JurisdictionResolver` of `@haidang/auth`. */
export const jurisdiction: JurisdictionCovers = { covers };
