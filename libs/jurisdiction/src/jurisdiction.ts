import { PROVINCE_CODE_PATTERN, REORGANISATION_DATE, REORGANISATION_INSTANT, type AdministrativeUnit } from './administrative-unit';
import { PRE_REFORM_CHANGES, UNMERGED_PROVINCES } from './pre-reform-changes.data';
import { formerNameKey, type IndexReport, type UnitIndex } from './unit-index';

/** Same shape as `JurisdictionResolver` in `@haidang/auth` (domain code cannot import it). */
export interface JurisdictionCovers {
  covers(principalUnits: readonly string[], unitCode: string, at: Date, recordedAt?: Date): boolean;
}

export interface UnitCounts {
  readonly provinces: number;
  readonly communes: number;
}

/** The query functions over one index; the package's exports bind them to the shipped data. */
export interface Jurisdiction extends JurisdictionCovers {
  findUnit(code: string, at?: Date): AdministrativeUnit | undefined;
  currentSuccessorsOf(code: string, at?: Date, recordedAt?: Date): readonly AdministrativeUnit[];
  provinceOf(code: string, at?: Date, recordedAt?: Date): string | undefined;
  listProvinces(at?: Date): readonly AdministrativeUnit[];
  listCommunes(provinceCode: string, at?: Date): readonly AdministrativeUnit[];
  countUnits(at?: Date): UnitCounts;
  report(): IndexReport;
  /**
   * A former commune found by its name within its district and the province that holds it now:
   * for records that name a commune the data set lists without a code (issue 11), or name it
   * rather than code it. Undefined when unknown or when two communes share the key.
   */
  findFormerCommuneByName(provinceCode: string, districtName: string, communeName: string): FormerCommuneMatch | undefined;
  /**
   * The unit's name as it was on `on` (`YYYY-MM-DD`): a decision records its issuing unit as then
   * named. 06793 is "Phường Cẩm Trung" on 2022-05-20 and "Phường Cẩm Phả" from 2025-07-01; 07090
   * "Xã Bình Dương" until 2024-10-31. Undefined when the data cannot say.
   */
  unitNameOn(code: string, on: string): string | undefined;
}

export interface FormerCommuneMatch {
  readonly name: string;
  readonly formerDistrictName?: string;
  /** Province (34-province map) that holds its area now. */
  readonly provinceCode: string;
  /** Its code where known: the coded rows, or the code a renamed commune kept. */
  readonly code?: string;
  /** First day it no longer existed under this name, where known. */
  readonly endedOn?: string;
  /** The communes in force since 2025-07-01 that hold its area. */
  readonly successors: readonly AdministrativeUnit[];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const NONE: readonly AdministrativeUnit[] = Object.freeze([]);

function instant(at: Date | undefined): number {
  // A missing or invalid date must not widen anything: NaN makes every comparison below false,
  // and callers turn that into "no unit" (deny).
  if (at === undefined) return Date.now();
  return at instanceof Date ? at.getTime() : Number.NaN;
}

export function createJurisdiction(loadIndex: () => UnitIndex): Jurisdiction {
  let cached: UnitIndex | undefined;
  const index = (): UnitIndex => (cached ??= loadIndex());
  const reform = REORGANISATION_INSTANT.getTime();

  /** The unit a code names at one instant, without mapping it forward. */
  function unitAt(idx: UnitIndex, code: string, when: number): AdministrativeUnit | undefined {
    if (typeof code !== 'string' || Number.isNaN(when)) return undefined;
    if (when >= reform) return idx.provinces.get(code) ?? idx.communes.get(code);
    return idx.formerCommunes.get(code);
  }

  function successorsIn(idx: UnitIndex, unit: AdministrativeUnit): readonly AdministrativeUnit[] {
    if (unit.validTo === undefined) return [unit];
    const found: AdministrativeUnit[] = [];
    for (const code of unit.successorCodes ?? []) {
      const successor = idx.communes.get(code);
      if (successor) found.push(successor);
    }
    return found;
  }

  /**
   * Read `code` as it was meant when the record was made (`recordedAt`, default `at`), falling
   * back to the other map because people keep writing old codes after a reform; then map it to
   * the units in force at `at`. Only forward mapping exists: a post-reform code asked about
   * before 2025-07-01 resolves to nothing.
   */
  function resolve(code: string, atDate: Date | undefined, recordedAtDate: Date | undefined): readonly AdministrativeUnit[] {
    const at = instant(atDate);
    const recordedAt = recordedAtDate === undefined ? at : instant(recordedAtDate);
    if (typeof code !== 'string' || Number.isNaN(at) || Number.isNaN(recordedAt)) return NONE;
    const idx = index();
    const current = idx.provinces.get(code) ?? idx.communes.get(code);
    const former = idx.formerCommunes.get(code);
    const meant = recordedAt >= reform ? (current ?? former) : (former ?? current);
    if (!meant) return NONE;
    if (at >= reform) return successorsIn(idx, meant);
    return meant.validTo === undefined ? NONE : [meant];
  }

  function findUnit(code: string, at?: Date): AdministrativeUnit | undefined {
    return unitAt(index(), code, instant(at));
  }

  function currentSuccessorsOf(code: string, at?: Date, recordedAt?: Date): readonly AdministrativeUnit[] {
    return resolve(code, at, recordedAt);
  }

  function provinceOf(code: string, at?: Date, recordedAt?: Date): string | undefined {
    const provinces = new Set(resolve(code, at, recordedAt).map((unit) => unit.provinceCode));
    // More than one province means the code is ambiguous; answering one would be a guess.
    return provinces.size === 1 ? [...provinces][0] : undefined;
  }

  function covers(principalUnits: readonly string[], unitCode: string, at: Date, recordedAt?: Date): boolean {
    if (!Array.isArray(principalUnits) || principalUnits.length === 0) return false;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) return false;
    const idx = index();
    // Principals hold codes of units in force (DESIGN: tokens carry current codes); a former or
    // unknown code in a token grants nothing.
    const provinces = new Set<string>();
    const communes = new Set<string>();
    for (const code of principalUnits) {
      if (idx.provinces.has(code)) provinces.add(code);
      else if (idx.communes.has(code)) communes.add(code);
    }
    if (provinces.size === 0 && communes.size === 0) return false;
    // Compare in today's units, whatever the date: a pre-reform `at` still selects how the
    // record's code is read, and its former unit is then carried to the units that hold it now.
    const targets = resolve(unitCode, at, recordedAt).flatMap((unit) => successorsIn(idx, unit));
    // A split former commune is visible to each of its successors: the record lies in one of
    // them and the data cannot say which, and hiding it from all would lose it.
    return targets.some((unit) => (unit.level === 'province' ? provinces.has(unit.code) : communes.has(unit.code) || provinces.has(unit.provinceCode)));
  }

  function listProvinces(at?: Date): readonly AdministrativeUnit[] {
    const when = instant(at);
    // The data set carries no list of the 63 former provinces (only their names on mappings).
    if (!(when >= reform)) return NONE;
    return [...index().provinces.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  }

  function listCommunes(provinceCode: string, at?: Date): readonly AdministrativeUnit[] {
    const when = instant(at);
    if (Number.isNaN(when)) return NONE;
    const idx = index();
    // Before the reform: the former communes whose area the province holds now.
    const groups = when >= reform ? idx.communesByProvince : idx.formerCommunesByProvince;
    return groups.get(provinceCode) ?? NONE;
  }

  function countUnits(at?: Date): UnitCounts {
    const when = instant(at);
    if (Number.isNaN(when)) return { provinces: 0, communes: 0 };
    const idx = index();
    return when >= reform ? { provinces: idx.provinces.size, communes: idx.communes.size } : { provinces: 0, communes: idx.formerCommunes.size };
  }

  function findFormerCommuneByName(provinceCode: string, districtName: string, communeName: string): FormerCommuneMatch | undefined {
    if (typeof provinceCode !== 'string' || typeof districtName !== 'string' || typeof communeName !== 'string') return undefined;
    const idx = index();
    const key = formerNameKey(provinceCode, districtName, communeName);
    const change = PRE_REFORM_CHANGES.find((c) => formerNameKey(c.provinceCode, c.districtName, c.name) === key);
    const named = idx.namedFormerCommunes.get(key);
    const toUnits = (codes: readonly string[]) => codes.flatMap((code) => idx.communes.get(code) ?? []);
    if (named) {
      const code = named.sameUnitAs ?? change?.code;
      return Object.freeze({
        name: named.name,
        ...(named.formerDistrictName === undefined ? {} : { formerDistrictName: named.formerDistrictName }),
        provinceCode: named.provinceCode,
        ...(code === undefined ? {} : { code }),
        ...(change === undefined ? {} : { endedOn: change.endedOn }),
        successors: Object.freeze(toUnits(named.successorCodes)),
      });
    }
    const coded = idx.formerCommunesByName.get(key);
    if (!coded) return undefined;
    return Object.freeze({
      name: coded.name,
      ...(coded.formerDistrictName === undefined ? {} : { formerDistrictName: coded.formerDistrictName }),
      provinceCode: coded.provinceCode,
      code: coded.code,
      endedOn: coded.validTo ?? REORGANISATION_DATE,
      successors: Object.freeze(toUnits(coded.successorCodes ?? [])),
    });
  }

  function unitNameOn(code: string, on: string): string | undefined {
    if (typeof code !== 'string' || typeof on !== 'string' || !ISO_DAY.test(on)) return undefined;
    const idx = index();
    if (on >= REORGANISATION_DATE) return (idx.provinces.get(code) ?? idx.communes.get(code))?.name;
    // The data set has no former provinces; the two not merged kept their name.
    if (PROVINCE_CODE_PATTERN.test(code)) return UNMERGED_PROVINCES.includes(code) ? idx.provinces.get(code)?.name : undefined;
    const unit = idx.formerCommunes.get(code);
    if (!unit) return undefined;
    const earlier = PRE_REFORM_CHANGES.filter((c) => c.code === code && on < c.endedOn).sort((a, b) => (a.endedOn < b.endedOn ? -1 : 1))[0];
    return earlier?.name ?? unit.name;
  }

  return {
    findFormerCommuneByName,
    unitNameOn,
    findUnit,
    currentSuccessorsOf,
    provinceOf,
    covers,
    listProvinces,
    listCommunes,
    countUnits,
    report: () => index().report,
  };
}
