import type { IndicatorCell, IndicatorPeriod } from '../indicators/indicator-reader.port';

/** Cells for unit specs of the exports and the dashboard: a count, a percentage, a suppressed cell, one without target. */
export const Q3_2022: IndicatorPeriod = { kind: 'QUARTER', label: '2022-Q3', from: '2022-07-01', to: '2022-09-30' };

const base = { unitLevel: 'COMMUNE', period: Q3_2022 } as const;

export const SAMPLE_CELLS: readonly IndicatorCell[] = [
  {
    ...base,
    code: 'REHAB_ADMISSIONS',
    labelVi: 'Số người được tiếp nhận cai nghiện',
    labelEn: 'Rehab admissions',
    unitCode: '06793',
    unitName: 'Phường Cẩm Phả',
    numerator: 1234,
    denominator: null,
    value: 1234,
    target: { unit: 'COUNT', comparison: 'AT_LEAST', value: 900 },
    shareAchieved: 1234 / 900,
    suppressed: false,
  },
  {
    ...base,
    code: 'POST_REHAB_MANAGED',
    labelVi: 'Tỷ lệ người sau cai được quản lý; theo dõi',
    labelEn: 'Share under post-rehab management',
    unitCode: '06793',
    unitName: 'Phường Cẩm Phả',
    numerator: 35,
    denominator: 40,
    value: 87.5,
    target: { unit: 'PERCENT', comparison: 'AT_LEAST', value: 100 },
    shareAchieved: 0.875,
    suppressed: false,
  },
  {
    ...base,
    code: 'PLACED',
    labelVi: 'Số người được giới thiệu việc làm',
    labelEn: 'Placed in jobs',
    unitCode: '06805',
    unitName: 'Phường Cửa Ông',
    numerator: null,
    denominator: null,
    value: null,
    target: { unit: 'COUNT', comparison: 'AT_LEAST', value: 420 },
    shareAchieved: null,
    suppressed: true,
  },
  {
    ...base,
    code: 'ARTICLES_PER_WEEK',
    labelVi: '=Số bài viết mỗi tuần',
    labelEn: 'Articles per week',
    unitCode: '06793',
    unitName: 'Phường Cẩm Phả',
    numerator: 27,
    denominator: 13,
    value: 27 / 13,
    target: null,
    shareAchieved: null,
    suppressed: false,
  },
];
