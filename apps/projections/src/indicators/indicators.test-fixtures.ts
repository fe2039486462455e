import type { Fact } from '../inbox/facts';
import type { UnitRef, ProvinceUnits } from './units';

/** A fact with defaults: province 22, commune 06793, 2022-07-15, amount 1. */
export function aFact(partial: Partial<Fact> & Pick<Fact, 'kind'>): Fact {
  return {
    subjectId: `s-${Math.random().toString(36).slice(2)}`,
    provinceCode: '22',
    communeCode: '06793',
    onDate: '2022-07-15',
    category: '',
    ref: null,
    amount: 1,
    voided: false,
    endedOn: null,
    ...partial,
  };
}

export const commune = (code: string): UnitRef => ({ level: 'COMMUNE', code, name: code, communes: new Set([code]) });

/** A province of three communes and one district holding the first two. */
export const SMALL_PROVINCE: ProvinceUnits = {
  province: { level: 'PROVINCE', code: '22', name: 'Quảng Ninh', communes: null },
  communes: [commune('06793'), commune('06794'), commune('06795')],
  districts: [{ level: 'DISTRICT', code: '001', name: 'Cẩm Phả', communes: new Set(['06793', '06794']) }],
};

export const Q3_2022 = { kind: 'QUARTER', label: '2022-Q3', from: '2022-07-01', to: '2022-09-30' } as const;
