import { isDomainError } from '@haidang/decider';
import { employerDecider, REGISTER_ERROR_MESSAGES, trainingProviderDecider, type EmployerData, type TrainingProviderData } from './registers';

const NOW = new Date('2026-08-10T03:00:00Z');
const provider: TrainingProviderData = {
  providerId: 'p',
  name: ' Trường Cao đẳng Than ',
  kind: 'VOCATIONAL_SCHOOL',
  provinceCode: '22',
  communeCode: '06793',
  capacity: 120,
  agencyCode: null,
  registeredOn: '2026-08-01',
};
const employer: EmployerData = {
  employerId: 'e',
  name: 'Công ty Than',
  taxCode: '5700100256',
  provinceCode: '22',
  communeCode: '06793',
  sector: 'MINING',
  registeredOn: '2026-08-01',
};
const p = (over: Partial<TrainingProviderData> = {}) =>
  trainingProviderDecider.decide({ type: 'RegisterTrainingProvider', data: { ...provider, ...over } }, null, NOW);
const e = (over: Partial<EmployerData> = {}, state: EmployerData | null = null) =>
  employerDecider.decide({ type: 'RegisterEmployer', data: { ...employer, ...over } }, state, NOW);
const code = (r: unknown) => (isDomainError(r) ? r.code : undefined);

describe('registers', () => {
  it('registers a provider and an employer, names trimmed', () => {
    expect(p()).toEqual([{ type: 'TrainingProviderRegistered', data: { ...provider, name: 'Trường Cao đẳng Than' } }]);
    expect(e({ taxCode: '5700100256-001' })).toEqual([{ type: 'EmployerRegistered', data: { ...employer, taxCode: '5700100256-001' } }]);
  });

  it('refuses with every code', () => {
    const seen = new Set<string>();
    const check = (expected: string, result: unknown) => {
      expect(code(result)).toBe(expected);
      seen.add(expected);
    };
    check('already-registered', trainingProviderDecider.decide({ type: 'RegisterTrainingProvider', data: provider }, provider, NOW));
    check('already-registered', e({}, employer));
    check('empty-text', p({ name: ' ' }));
    check('empty-text', e({ name: '' }));
    check('unknown-code', p({ kind: 'X' as never }));
    check('unknown-code', e({ sector: 'X' as never }));
    check('invalid-tax-code', e({ taxCode: '57001' }));
    check('invalid-capacity', p({ capacity: 0 }));
    check('invalid-capacity', p({ capacity: 1.5 }));
    check('invalid-date', p({ registeredOn: '2026-08-11' }));
    check('invalid-date', e({ registeredOn: '2026-02-30' }));
    expect([...seen].sort()).toEqual(Object.keys(REGISTER_ERROR_MESSAGES).sort());
  });
});
