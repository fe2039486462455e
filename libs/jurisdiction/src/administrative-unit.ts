/**
 * Administrative units of Vietnam with effective dates.
 *
 * On 2025-07-01 (Resolution 202/2025/QH15 and the Standing Committee resolutions on communes)
 * the country went from 63 provinces to 34, abolished the district tier and merged ~10,000
 * communes into 3,321. Codes of the new units reuse the code of one of the units they were made
 * from, so the same code can name one unit before that date and another after it.
 */

/** Level of a unit in the two-tier system in force since 2025-07-01 (no districts). */
export type UnitLevel = 'province' | 'commune';

/**
 * One administrative unit. Dates are calendar dates (`YYYY-MM-DD`, Vietnam time) because the
 * resolutions take effect on a day, not at an instant; strings also keep the shared, frozen index
 * immutable (a `Date` can be changed in place by whoever holds it).
 */
export interface AdministrativeUnit {
  /** Statistical code: 2 digits for a province, 5 for a commune (phường, xã, đặc khu). */
  readonly code: string;
  readonly name: string;
  readonly level: UnitLevel;
  /**
   * Province code in the 34-province map. For a commune that ended on 2025-07-01 it is the
   * province that holds its area now: the data set has no codes for the 63 former provinces
   * (see README), and the new codes were partly reassigned (Lào Cai is now `15`, once Yên Bái's).
   */
  readonly provinceCode: string;
  /** First day in force; absent for a former commune (its start is before the data's horizon). */
  readonly validFrom?: string;
  /** First day no longer in force; absent while the unit is in force. */
  readonly validTo?: string;
  /** For a former commune: the units in force since `validTo` that took over its area. */
  readonly successorCodes?: readonly string[];
  /** For a former commune: its district and province as named before the reform. */
  readonly formerDistrictName?: string;
  readonly formerProvinceName?: string;
}

/** The day the 34-province, 3,321-commune map took effect. */
export const REORGANISATION_DATE = '2025-07-01';

/** Midnight of 2025-07-01 in Vietnam (UTC+7, no daylight saving): the instant the new map applies. */
export const REORGANISATION_INSTANT = new Date(`${REORGANISATION_DATE}T00:00:00+07:00`);

export const PROVINCE_CODE_PATTERN = /^\d{2}$/;
export const COMMUNE_CODE_PATTERN = /^\d{5}$/;
