import { computeIndicatorCells, type ComputeRequest } from './compute-indicators';
import { FactIndex } from './indicator-catalogue';
import { aFact, Q3_2022, SMALL_PROVINCE } from './indicators.test-fixtures';

const admissions = [
  ...Array.from({ length: 12 }, () => aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_FACILITY', communeCode: '06793' })),
  ...Array.from({ length: 2 }, () => aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_FACILITY', communeCode: '06794' })),
  ...Array.from({ length: 7 }, () => aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_COMMUNITY', communeCode: '06795' })),
];

const request = (overrides: Partial<ComputeRequest> = {}): ComputeRequest => ({
  facts: new FactIndex(admissions),
  units: SMALL_PROVINCE,
  period: Q3_2022,
  unitLevel: 'COMMUNE',
  codes: ['REHAB_ADMISSIONS'],
  targets: new Map([['REHAB_ADMISSIONS', { unit: 'COUNT', comparison: 'AT_LEAST', value: 900 }]]),
  ownUnit: () => false,
  threshold: 5,
  ...overrides,
});

describe('computeIndicatorCells', () => {
  it('puts the plan target beside the figure, with the share achieved', () => {
    const [cell] = computeIndicatorCells(request({ unitLevel: 'PROVINCE' }));
    expect(cell).toMatchObject({
      code: 'REHAB_ADMISSIONS',
      unitCode: '22',
      numerator: 21,
      value: 21,
      target: { value: 900 },
      shareAchieved: 0.023,
      suppressed: false,
    });
  });

  it('hides the small commune from outsiders, and a second commune so that the total does not give it away', () => {
    const cells = computeIndicatorCells(request());
    expect(cells.map((c) => [c.unitCode, c.value, c.suppressed])).toEqual([
      ['06793', 12, false],
      ['06794', null, true],
      ['06795', null, true],
    ]);
  });

  it('shows a commune its own small count, and then hides nothing else on its account', () => {
    const cells = computeIndicatorCells(request({ ownUnit: (unit) => unit.code === '06794' }));
    expect(cells.map((c) => [c.unitCode, c.value])).toEqual([
      ['06793', 12],
      ['06794', 2],
      ['06795', 7],
    ]);
  });

  it('decides suppression on the whole row, whichever unit is asked for', () => {
    const [only] = computeIndicatorCells(request({ unitCode: '06795' }));
    expect(only).toMatchObject({ unitCode: '06795', suppressed: true, value: null });
  });

  it('never suppresses indicators that count no person', () => {
    const facts = new FactIndex([aFact({ kind: 'ACTIVITY', communeCode: '06794' })]);
    const cells = computeIndicatorCells(request({ facts, codes: ['COMMUNES_WITH_ACTIVITY'], targets: new Map() }));
    expect(cells.every((c) => !c.suppressed)).toBe(true);
    expect(cells.find((c) => c.unitCode === '06794')?.value).toBe(100);
  });

  it('shows targets it cannot compute as cells without a figure', () => {
    const cells = computeIndicatorCells(
      request({ unitLevel: 'PROVINCE', codes: undefined, targets: new Map([['DRUG_FREE_COMMUNES', { unit: 'PERCENT', comparison: 'AT_LEAST', value: 100 }]]) }),
    );
    expect(cells.find((c) => c.code === 'DRUG_FREE_COMMUNES')).toMatchObject({ value: null, target: { value: 100 }, suppressed: false });
  });

  it('offers province-only indicators at the province level only', () => {
    expect(computeIndicatorCells(request({ codes: ['ARTICLES_PER_WEEK'] }))).toEqual([]);
    expect(computeIndicatorCells(request({ unitLevel: 'PROVINCE', codes: ['ARTICLES_PER_WEEK'] }))).toHaveLength(1);
  });
});
