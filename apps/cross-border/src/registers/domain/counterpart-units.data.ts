/**
 * Chinese counterpart units of Guangxi that cooperation records name: police, border defence and
 * public security bureaus of prefectures and counties facing Lạng Sơn. Reference data, with names in
 * Chinese (as they sign) and Vietnamese (as the minutes print them).
 */
export const COUNTERPART_UNIT_TYPES = ['BORDER_DEFENCE', 'PUBLIC_SECURITY_BUREAU', 'IMMIGRATION_INSPECTION', 'POLICE'] as const;
export type CounterpartUnitType = (typeof COUNTERPART_UNIT_TYPES)[number];

export interface CounterpartUnit {
  readonly code: string;
  readonly unitType: CounterpartUnitType;
  readonly nameZh: string;
  readonly nameVi: string;
  /** The Vietnamese province whose records may name it. */
  readonly facingProvinceCode: string;
}

export const COUNTERPART_UNITS: readonly CounterpartUnit[] = [
  { code: 'GX-PSD', unitType: 'POLICE', nameZh: '广西壮族自治区公安厅', nameVi: 'Sở Công an Khu tự trị dân tộc Choang Quảng Tây', facingProvinceCode: '20' },
  { code: 'GX-CZ-PSB', unitType: 'PUBLIC_SECURITY_BUREAU', nameZh: '崇左市公安局', nameVi: 'Cục Công an thành phố Sùng Tả', facingProvinceCode: '20' },
  { code: 'GX-BS-PSB', unitType: 'PUBLIC_SECURITY_BUREAU', nameZh: '百色市公安局', nameVi: 'Cục Công an thành phố Bách Sắc', facingProvinceCode: '20' },
  { code: 'GX-PX-PSB', unitType: 'PUBLIC_SECURITY_BUREAU', nameZh: '凭祥市公安局', nameVi: 'Cục Công an thành phố Bằng Tường', facingProvinceCode: '20' },
  { code: 'GX-NP-PSB', unitType: 'PUBLIC_SECURITY_BUREAU', nameZh: '宁明县公安局', nameVi: 'Cục Công an huyện Ninh Minh', facingProvinceCode: '20' },
  { code: 'GX-LZ-PSB', unitType: 'PUBLIC_SECURITY_BUREAU', nameZh: '龙州县公安局', nameVi: 'Cục Công an huyện Long Châu', facingProvinceCode: '20' },
  { code: 'GX-CZ-BD', unitType: 'BORDER_DEFENCE', nameZh: '崇左边境管理支队', nameVi: 'Chi đội Quản lý biên giới Sùng Tả', facingProvinceCode: '20' },
  { code: 'GX-PX-BD', unitType: 'BORDER_DEFENCE', nameZh: '凭祥边境管理大队', nameVi: 'Đại đội Quản lý biên giới Bằng Tường', facingProvinceCode: '20' },
  {
    code: 'GX-YYG-EI',
    unitType: 'IMMIGRATION_INSPECTION',
    nameZh: '友谊关出入境边防检查站',
    nameVi: 'Trạm Kiểm tra biên phòng xuất nhập cảnh Hữu Nghị Quan',
    facingProvinceCode: '20',
  },
];

export function findCounterpartUnit(code: string): CounterpartUnit | undefined {
  return COUNTERPART_UNITS.find((u) => u.code === code);
}
