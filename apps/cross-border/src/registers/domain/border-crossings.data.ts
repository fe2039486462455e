/**
 * The border crossings of Lạng Sơn (province 20) on the border with Guangxi, as reference data with
 * the date each entry holds from. The article counts 2 international crossings, 1 main and 9
 * secondary (2015–2020); names follow the provincial border-gate list *(verify the secondary
 * crossings' Chinese names with the counterpart before printing them on signed minutes)*.
 */
export const CROSSING_CLASSES = ['INTERNATIONAL', 'MAIN', 'SECONDARY'] as const;
export type CrossingClass = (typeof CROSSING_CLASSES)[number];

export interface BorderCrossing {
  readonly code: string;
  readonly provinceCode: string;
  readonly crossingClass: CrossingClass;
  readonly nameVi: string;
  readonly nameZh: string;
  /** The Chinese crossing facing it. */
  readonly counterpartNameZh: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
}

const crossing = (code: string, crossingClass: CrossingClass, nameVi: string, nameZh: string, counterpartNameZh: string): BorderCrossing => ({
  code,
  provinceCode: '20',
  crossingClass,
  nameVi,
  nameZh,
  counterpartNameZh,
  validFrom: '2015-01-01',
  validUntil: null,
});

export const BORDER_CROSSINGS: readonly BorderCrossing[] = [
  crossing('LS-HUU-NGHI', 'INTERNATIONAL', 'Cửa khẩu quốc tế Hữu Nghị', '友谊关国际口岸（越方）', '友谊关口岸'),
  crossing('LS-DONG-DANG', 'INTERNATIONAL', 'Ga đường sắt liên vận quốc tế Đồng Đăng', '同登国际铁路口岸', '凭祥铁路口岸'),
  crossing('LS-CHI-MA', 'MAIN', 'Cửa khẩu chính Chi Ma', '支麻口岸', '爱店口岸'),
  crossing('LS-TAN-THANH', 'SECONDARY', 'Cửa khẩu phụ Tân Thanh', '新清口岸', '弄尧通道'),
  crossing('LS-COC-NAM', 'SECONDARY', 'Cửa khẩu phụ Cốc Nam', '谷南口岸', '浦寨通道'),
  crossing('LS-NA-HINH', 'SECONDARY', 'Cửa khẩu phụ Na Hình', '那形口岸', '平而关通道'),
  crossing('LS-BINH-NGHI', 'SECONDARY', 'Cửa khẩu phụ Bình Nghi', '平宜口岸', '平而关口岸'),
  crossing('LS-PO-NHUNG', 'SECONDARY', 'Cửa khẩu phụ Pò Nhùng', '坡隆口岸', '叫隘通道'),
  crossing('LS-NA-NUA', 'SECONDARY', 'Cửa khẩu phụ Nà Nưa', '那努口岸', '科甲通道'),
  crossing('LS-BAN-CHAT', 'SECONDARY', 'Cửa khẩu phụ Bản Chắt', '板质口岸', '峒中通道'),
  crossing('LS-CHI-MA-PHU', 'SECONDARY', 'Lối mở Co Sâu', '古苏通道', '爱店通道'),
  crossing('LS-PO-PEO', 'SECONDARY', 'Cửa khẩu phụ Pò Peo', '坡标口岸', '岳圩通道'),
];

export function findCrossing(code: string): BorderCrossing | undefined {
  return BORDER_CROSSINGS.find((c) => c.code === code);
}
