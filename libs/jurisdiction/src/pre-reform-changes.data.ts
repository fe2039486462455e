/**
 * Commune changes of 2024 in the project's two provinces, which the shipped data set names without
 * a code (issue 11): it maps these communes, by name only, straight to their 2025-07-01 successors.
 * They were in force in 2022, so records of plan 146 (2022) can name them. Kept by hand, with
 * sources; `unitNameOn` reads the renamings, the index the end dates.
 *
 * - Quảng Ninh (22): Resolution 1199/NQ-UBTVQH15 of 2024-09-28, in force 2024-11-01 (cafef.vn
 *   2024-10-30; thoibaotaichinhvietnam.vn): Đông Triều town became a city; communes Bình Dương,
 *   Thủy An, Bình Khê, Yên Đức became wards under the same name; ward Đông Triều joined ward Đức
 *   Chính; Minh Cầm and Lương Mông formed commune Lương Minh (Ba Chẽ).
 * - Lạng Sơn (20): the Standing Committee's resolution on Lạng Sơn's communes 2023–2025, in force
 *   2024-12-01 (vov.gov.vn 2024-11-03; baophapluat.vn): Vĩnh Tiến into Khánh Long, Đại Đồng split
 *   between Thất Khê town and Đội Cấn (Tràng Định); Đồng Giáp and Tràng Các into Khánh Khê (Văn
 *   Quan); Tĩnh Bắc into Tam Gia (Lộc Bình). Resolution number not found: `verify`.
 */
export interface PreReformChange {
  readonly provinceCode: string;
  /** The district as the shipped data names it on the mapping row. */
  readonly districtName: string;
  /** The commune's name until `endedOn`. */
  readonly name: string;
  /** First day it no longer existed under this name. */
  readonly endedOn: string;
  /** Renamed only: the code it kept (the shipped data lists it under the new name). */
  readonly code?: string;
  /** What it became on `endedOn` (the unit that took it over, or its new name). */
  readonly becameName?: string;
  readonly source: string;
  readonly verify: boolean;
}

const QN_1199 = 'Resolution 1199/NQ-UBTVQH15 of 2024-09-28, in force 2024-11-01';
const LS_2024 = "Standing Committee's resolution on Lạng Sơn's communes 2023–2025, in force 2024-12-01 (number not found)";

export const PRE_REFORM_CHANGES: readonly PreReformChange[] = [
  {
    provinceCode: '22',
    districtName: 'Thị xã Đông Triều',
    name: 'Xã Bình Dương',
    endedOn: '2024-11-01',
    code: '07090',
    becameName: 'Phường Bình Dương',
    source: QN_1199,
    verify: false,
  },
  {
    provinceCode: '22',
    districtName: 'Thị xã Đông Triều',
    name: 'Xã Bình Khê',
    endedOn: '2024-11-01',
    code: '07081',
    becameName: 'Phường Bình Khê',
    source: QN_1199,
    verify: false,
  },
  {
    provinceCode: '22',
    districtName: 'Thị xã Đông Triều',
    name: 'Xã Yên Đức',
    endedOn: '2024-11-01',
    code: '07129',
    becameName: 'Phường Yên Đức',
    source: QN_1199,
    verify: false,
  },
  {
    provinceCode: '22',
    districtName: 'Thị xã Đông Triều',
    name: 'Xã Thủy An',
    endedOn: '2024-11-01',
    code: '07102',
    becameName: 'Phường Thủy An',
    source: QN_1199,
    verify: false,
  },
  {
    provinceCode: '22',
    districtName: 'Thị xã Đông Triều',
    name: 'Phường Đông Triều',
    endedOn: '2024-11-01',
    becameName: 'Phường Đức Chính',
    source: QN_1199,
    verify: false,
  },
  { provinceCode: '22', districtName: 'Huyện Ba Chẽ', name: 'Xã Minh Cầm', endedOn: '2024-11-01', becameName: 'Xã Lương Minh', source: QN_1199, verify: false },
  {
    provinceCode: '22',
    districtName: 'Huyện Ba Chẽ',
    name: 'Xã Lương Mông',
    endedOn: '2024-11-01',
    becameName: 'Xã Lương Minh',
    source: QN_1199,
    verify: false,
  },
  // The shipped data maps these three straight to 2025 units; the 2024 unit that took them over is not confirmed here.
  { provinceCode: '22', districtName: 'Thành phố Hạ Long', name: 'Phường Yết Kiêu', endedOn: '2024-11-01', source: QN_1199, verify: true },
  { provinceCode: '22', districtName: 'Thành phố Móng Cái', name: 'Phường Hòa Lạc', endedOn: '2024-11-01', source: QN_1199, verify: true },
  { provinceCode: '22', districtName: 'Thành phố Cẩm Phả', name: 'Xã Cẩm Hải', endedOn: '2024-11-01', source: QN_1199, verify: true },
  { provinceCode: '22', districtName: 'Thành phố Cẩm Phả', name: 'Xã Cộng Hòa', endedOn: '2024-11-01', source: QN_1199, verify: true },
  { provinceCode: '20', districtName: 'Huyện Lộc Bình', name: 'Xã Tĩnh Bắc', endedOn: '2024-12-01', becameName: 'Xã Tam Gia', source: LS_2024, verify: true },
  {
    provinceCode: '20',
    districtName: 'Huyện Văn Quan',
    name: 'Xã Đồng Giáp',
    endedOn: '2024-12-01',
    becameName: 'Xã Khánh Khê',
    source: LS_2024,
    verify: true,
  },
  {
    provinceCode: '20',
    districtName: 'Huyện Văn Quan',
    name: 'Xã Tràng Các',
    endedOn: '2024-12-01',
    becameName: 'Xã Khánh Khê',
    source: LS_2024,
    verify: true,
  },
  {
    provinceCode: '20',
    districtName: 'Huyện Tràng Định',
    name: 'Xã Đại Đồng',
    endedOn: '2024-12-01',
    becameName: 'Thị trấn Thất Khê and Xã Đội Cấn',
    source: LS_2024,
    verify: true,
  },
  {
    provinceCode: '20',
    districtName: 'Huyện Tràng Định',
    name: 'Xã Vĩnh Tiến',
    endedOn: '2024-12-01',
    becameName: 'Xã Khánh Long',
    source: LS_2024,
    verify: true,
  },
];

/**
 * Provinces whose name and code did not change on 2025-07-01 (not merged), so their name on an
 * earlier date is today's: only the project's two provinces, checked (glossary: "Lạng Sơn (20) and
 * Quảng Ninh (22) were not merged").
 */
export const UNMERGED_PROVINCES: readonly string[] = ['20', '22'];
