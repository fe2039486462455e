import type { LocalDate } from './local-date';
import type { Sourced } from './legal-regimes';

/**
 * Where and when the Cedemex pilot (rehab with the Cedemex medicine) runs: data, like the law
 * table. A Cedemex form decision outside these places or dates is refused (422).
 */
export interface CedemexPilot extends Sourced {
  /** Province code of the pilot. */
  readonly province: string;
  /** Former districts (as named before 2025-07-01) whose communes are pilot localities. */
  readonly formerDistricts: readonly string[];
  /** The provincial facility runs the pilot too (its agency type, within `province`). */
  readonly facilityAgencyType: 'REHAB_FACILITY';
  /** First day (inclusive) a decision may place a person in the pilot. */
  readonly from: LocalDate;
  /** First day (exclusive) it no longer may. */
  readonly until: LocalDate;
}

export const CEDEMEX_PILOT: CedemexPilot = {
  province: '22',
  formerDistricts: ['Thành phố Cẩm Phả', 'Thành phố Móng Cái', 'Thành phố Uông Bí', 'Thị xã Quảng Yên'],
  facilityAgencyType: 'REHAB_FACILITY',
  from: '2022-01-01',
  until: '2023-01-01',
  verify: true,
  source:
    'Plan 146/KH-UBND (Quảng Ninh, 2022), source article: "Đề án thí điểm cai nghiện ma túy bằng thuốc Cedemex tại 04 địa phương: Cẩm Phả, Móng Cái, Uông Bí, Quảng Yên và tại Cơ sở cai nghiện ma túy tỉnh"; the period is read as the plan year 2022 (no end date found)',
};

/** Whether a decision dated `decisionDate` falls within the pilot period. */
export function withinCedemexPilotPeriod(decisionDate: LocalDate, pilot: CedemexPilot = CEDEMEX_PILOT): boolean {
  return decisionDate >= pilot.from && decisionDate < pilot.until;
}
