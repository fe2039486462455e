import { buildUnitIndex, createJurisdiction } from './index';

const AFTER = new Date('2026-01-15T08:00:00Z');
const BEFORE = new Date('2024-03-01T08:00:00Z');

/** A hand-made data set in the package's shape, with the cases the shipped data lacks. */
function dataset(mappings: Record<string, string | null>[]) {
  return [
    { type: 'header', version: '1.1' },
    {
      type: 'table',
      name: 'provinces',
      data: [
        { province_code: '01', name: 'Tỉnh Một' },
        { province_code: '02', name: 'Tỉnh Hai' },
      ],
    },
    {
      type: 'table',
      name: 'wards',
      data: [
        { ward_code: '00010', name: 'Xã Mười', province_code: '01' },
        { ward_code: '00020', name: 'Xã Hai Mươi', province_code: '01' },
        { ward_code: '00030', name: 'Xã Ba Mươi', province_code: '02' },
      ],
    },
    { type: 'table', name: 'ward_mappings', data: mappings },
  ];
}

const row = (oldCode: string | null, newCode: string, oldName = 'Xã Cũ') => ({
  old_ward_code: oldCode,
  old_ward_name: oldName,
  old_district_name: 'Huyện Cũ',
  old_province_name: 'Tỉnh Cũ',
  new_ward_code: newCode,
});

describe('buildUnitIndex', () => {
  it('keeps every successor of a split commune and lets each of them see its records', () => {
    const j = createJurisdiction(() => buildUnitIndex(dataset([row('00001', '10'), row('00001', '20'), row('00010', '10')])));
    expect(j.currentSuccessorsOf('00001', AFTER).map((u) => u.code)).toEqual(['00010', '00020']);
    expect(j.provinceOf('00001', AFTER)).toBe('01');
    expect(j.covers(['00010'], '00001', AFTER)).toBe(true);
    expect(j.covers(['00020'], '00001', AFTER)).toBe(true);
    expect(j.covers(['00030'], '00001', AFTER)).toBe(false);
    expect(j.report()).toMatchObject({ splitFormerCommunes: 1, formerCommunes: 2 });
  });

  it('pads codes whose leading zeros the package dropped, and skips rows it cannot use', () => {
    const j = createJurisdiction(() => buildUnitIndex(dataset([row('5', '10'), row(null, '20', 'Phường Không Mã'), row('', '20'), row('00006', '99999')])));
    expect(j.currentSuccessorsOf('00005', AFTER).map((u) => u.code)).toEqual(['00010']);
    expect(j.currentSuccessorsOf('5', AFTER)).toEqual([]);
    expect(j.currentSuccessorsOf('00006', AFTER)).toEqual([]);
    expect(j.report()).toMatchObject({ mappingRowsWithoutOldCode: 2, mappingRowsWithUnknownSuccessor: 1, formerCommunes: 1 });
  });

  it('leaves out a former commune split across provinces rather than give it one province', () => {
    const j = createJurisdiction(() => buildUnitIndex(dataset([row('00007', '10'), row('00007', '30')])));
    expect(j.findUnit('00007', BEFORE)).toBeUndefined();
    expect(j.covers(['01', '02'], '00007', AFTER)).toBe(false);
    expect(j.report().formerCommunesAcrossProvinces).toBe(1);
  });

  it('reports a code that names different communes before and after the reform', () => {
    const j = createJurisdiction(() => buildUnitIndex(dataset([row('00020', '10', 'Xã Hai Mươi Cũ')])));
    expect(j.report().codesWithChangedMeaning).toEqual(['00020']);
    expect(j.findUnit('00020', BEFORE)?.name).toBe('Xã Hai Mươi Cũ');
    expect(j.currentSuccessorsOf('00020', AFTER).map((u) => u.code)).toEqual(['00020']);
    expect(j.currentSuccessorsOf('00020', AFTER, BEFORE).map((u) => u.code)).toEqual(['00010']);
  });

  it('refuses data in another shape instead of serving a partial map', () => {
    expect(() => buildUnitIndex({})).toThrow(/array/);
    expect(() => buildUnitIndex([{ type: 'table', name: 'provinces', data: [] }])).toThrow(/wards is missing/);
    const badWard = dataset([]);
    badWard[2] = { type: 'table', name: 'wards', data: [{ ward_code: '00040', name: 'Xã', province_code: '77' }] };
    expect(() => buildUnitIndex(badWard)).toThrow(/unknown province/);
  });

  it('builds the index once, on first use', () => {
    let builds = 0;
    const j = createJurisdiction(() => {
      builds += 1;
      return buildUnitIndex(dataset([]));
    });
    expect(builds).toBe(0);
    j.countUnits(AFTER);
    j.findUnit('00010', AFTER);
    expect(builds).toBe(1);
  });
});
