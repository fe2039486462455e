import { AccessDeniedError } from '@haidang/auth';
import { parseAgencyCode, type Agency, type Principal } from '@haidang/request-context';
import type { PlanVersion } from '../inbox/insights-store';
import { assertMayRead, choosePlan, ownsUnit, targetsOn } from './insights-indicator-reader';
import { unitsOf } from './units';

const principal = (agency: string, units: readonly string[]): Principal => ({
  sub: 'u',
  agency: parseAgencyCode(agency) as Agency,
  roles: ['analyst'],
  jurisdiction: units,
});
const version = (partial: Partial<PlanVersion>): PlanVersion => ({
  planId: 'p146',
  versionNo: 0,
  number: '146/KH-UBND',
  parentPlanId: null,
  periodFrom: '2022-01-01',
  periodTo: '2022-12-31',
  effectiveFrom: '2022-01-01',
  targets: [{ indicator: 'JOBS_PLACED', kind: 'COUNT', comparison: 'AT_LEAST', value: 420, unitLevel: 'PROVINCE', span: 'PERIOD' }],
  ...partial,
});

describe('the indicator reader’s rules', () => {
  it('lets a province analyst, a ministry listing the province, and a commune for its own commune read; nobody else', () => {
    expect(() => assertMayRead(principal('22-PPC', ['22']), '22', 'COMMUNE', undefined)).not.toThrow();
    expect(() => assertMayRead(principal('01-POLICE', ['01', '20', '22']), '22', 'PROVINCE', undefined)).not.toThrow();
    expect(() => assertMayRead(principal('22-COMMUNE-06793', ['06793']), '22', 'COMMUNE', '06793')).not.toThrow();
    expect(() => assertMayRead(principal('22-COMMUNE-06793', ['06793']), '22', 'COMMUNE', '06652')).toThrow(AccessDeniedError);
    expect(() => assertMayRead(principal('22-COMMUNE-06793', ['06793']), '22', 'PROVINCE', undefined)).toThrow(AccessDeniedError);
    expect(() => assertMayRead(principal('20-PPC', ['20']), '22', 'PROVINCE', undefined)).toThrow(AccessDeniedError);
  });

  it("counts a commune's own agencies and the province's own departments as the unit's, a ministry as nobody's", () => {
    const { province, communes } = unitsOf('22');
    const camPha = communes.find((c) => c.code === '06793');
    if (!camPha) throw new Error('06793 is a commune of 22');
    expect(ownsUnit(principal('22-COMMUNE-06793', ['06793']), camPha, '22')).toBe(true);
    expect(ownsUnit(principal('22-PPC', ['22']), camPha, '22')).toBe(false);
    expect(ownsUnit(principal('22-PPC', ['22']), province, '22')).toBe(true);
    expect(ownsUnit(principal('01-POLICE', ['01', '22']), province, '22')).toBe(false);
    expect(ownsUnit(principal('22-COMMUNE-06793', ['06793']), province, '22')).toBe(false);
  });

  it('picks the top-level plan in force, and the targets of the amendment in force on the last day', () => {
    const plans = [
      version({}),
      version({
        versionNo: 1,
        effectiveFrom: '2022-07-01',
        targets: [{ indicator: 'JOBS_PLACED', kind: 'COUNT', comparison: 'AT_LEAST', value: 500, unitLevel: 'PROVINCE', span: 'PERIOD' }],
      }),
      version({ planId: 'district', parentPlanId: 'p146' }),
      version({ planId: 'p2021', periodFrom: '2021-01-01', periodTo: '2021-12-31' }),
    ];
    expect(choosePlan(plans, undefined, '2022-03-31')?.[0]?.planId).toBe('p146');
    expect(choosePlan(plans, undefined, '2021-03-31')?.[0]?.planId).toBe('p2021');
    expect(choosePlan(plans, 'unknown', '2022-03-31')).toBeUndefined();
    const chosen = choosePlan(plans, undefined, '2022-12-31');
    expect(targetsOn(chosen, '2022-03-31').get('JOBS_PLACED')?.value).toBe(420);
    expect(targetsOn(chosen, '2022-09-30').get('JOBS_PLACED')?.value).toBe(500);
  });

  it("maps Quảng Ninh's communes in force onto its 13 former districts", () => {
    const { districts, communes } = unitsOf('22');
    expect(districts).toHaveLength(13);
    expect(districts.map((d) => d.code)).toEqual(districts.map((_, i) => String(i + 1).padStart(3, '0')));
    // Every commune in force lies in exactly one former district.
    for (const commune of communes) expect(districts.filter((d) => d.communes?.has(commune.code)).length).toBe(1);
  });
});
