import { findUnit } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CEDEMEX_PILOT, type LocalDate } from './domain';

/**
 * Whether a Cedemex decision dated `decisionDate` is made at a pilot site: the provincial facility
 * of the pilot province, or a person living in a commune of a pilot locality as that commune was on
 * the decision date (the pilot's localities are pre-2025 districts, so a 2022 record's commune code
 * is read in the map of its day). The decider checks the period.
 */
export function isCedemexPilotSite(principal: Principal, residenceCommune: string | undefined, decisionDate: LocalDate): boolean {
  if (principal.agency.province !== CEDEMEX_PILOT.province) return false;
  if (principal.agency.type === CEDEMEX_PILOT.facilityAgencyType) return true;
  if (residenceCommune === undefined) return false;
  const unit = findUnit(residenceCommune, new Date(`${decisionDate}T12:00:00+07:00`));
  return unit !== undefined && unit.provinceCode === CEDEMEX_PILOT.province && CEDEMEX_PILOT.formerDistricts.includes(unit.formerDistrictName ?? '');
}
