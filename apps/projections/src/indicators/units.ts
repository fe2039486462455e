import { findUnit, listCommunes } from '@haidang/jurisdiction';

/** The last day of the district tier (the map before 2025-07-01). */
const LAST_DAY_WITH_DISTRICTS = new Date('2025-06-30T12:00:00+07:00');
import type { UnitLevel } from './indicator-reader.port';

/** A unit a cell is computed for, with the communes (codes in force) it spans; null = the whole province. */
export interface UnitRef {
  readonly level: UnitLevel;
  readonly code: string;
  readonly name: string;
  readonly communes: ReadonlySet<string> | null;
}

export interface ProvinceUnits {
  readonly province: UnitRef;
  readonly communes: readonly UnitRef[];
  /** The districts before 2025-07-01, each with the communes in force that took over its area. */
  readonly districts: readonly UnitRef[];
}

const cache = new Map<string, ProvinceUnits>();

/**
 * The units of a province: its communes in force, and its former districts mapped forward. Events
 * carry codes in force (earlier records are mapped forward by the services), so a district is the
 * set of communes in force that took over its former communes. A commune made from former communes
 * of two districts belongs to the district of the former commune whose code it kept (else the first
 * one): a limit, stated in the README. The data set names districts but gives them no code: the code
 * here is the district's rank in the province by its first former commune code (001, 002, …).
 */
export function unitsOf(provinceCode: string): ProvinceUnits {
  const known = cache.get(provinceCode);
  if (known) return known;
  const communes = listCommunes(provinceCode).map((c) => ({ level: 'COMMUNE' as const, code: c.code, name: c.name, communes: new Set([c.code]) }));
  const before = listCommunes(provinceCode, LAST_DAY_WITH_DISTRICTS);
  const districtOfSuccessor = new Map<string, string>();
  for (const former of before) {
    const district = former.formerDistrictName;
    if (!district) continue;
    for (const successor of former.successorCodes ?? []) {
      if (!districtOfSuccessor.has(successor) || successor === former.code) districtOfSuccessor.set(successor, district);
    }
  }
  const order: string[] = [];
  for (const former of [...before].sort((a, b) => a.code.localeCompare(b.code))) {
    if (former.formerDistrictName && !order.includes(former.formerDistrictName)) order.push(former.formerDistrictName);
  }
  const districts = order.map((name, i) => ({
    level: 'DISTRICT' as const,
    code: String(i + 1).padStart(3, '0'),
    name,
    communes: new Set([...districtOfSuccessor].filter(([, d]) => d === name).map(([c]) => c)),
  }));
  const units: ProvinceUnits = {
    province: { level: 'PROVINCE', code: provinceCode, name: findUnit(provinceCode)?.name ?? provinceCode, communes: null },
    communes,
    districts,
  };
  cache.set(provinceCode, units);
  return units;
}
