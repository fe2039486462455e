import { isDomainError } from '@haidang/decider';
import { fold } from '@haidang/decider';
import {
  employerDecider,
  REGISTER_ERROR_MESSAGES,
  trainingProviderDecider,
  type EmployerCommand,
  type EmployerData,
  type EmployerEvent,
  type TrainingProviderCommand,
  type TrainingProviderData,
  type TrainingProviderEvent,
} from './registers';

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
const ACTIVE = { status: 'ACTIVE', closedOn: null } as const;
const e = (over: Partial<EmployerData> = {}, state: (EmployerData & typeof ACTIVE) | null = null) =>
  employerDecider.decide({ type: 'RegisterEmployer', data: { ...employer, ...over } }, state, NOW);
/** The provider (employer) after `history`, then `command`. */
const onProvider = (history: readonly TrainingProviderEvent[], command: TrainingProviderCommand) =>
  trainingProviderDecider.decide(command, fold(trainingProviderDecider, history), NOW);
const onEmployer = (history: readonly EmployerEvent[], command: EmployerCommand) => employerDecider.decide(command, fold(employerDecider, history), NOW);
const providerRegistered: TrainingProviderEvent = { type: 'TrainingProviderRegistered', data: provider };
const providerClosed: TrainingProviderEvent = { type: 'TrainingProviderClosed', data: { providerId: 'p', closedOn: '2026-08-05' } };
const employerRegistered: EmployerEvent = { type: 'EmployerRegistered', data: employer };
const changeProvider = (changes: object, provinceOfCommune: string | null = null, changedOn = '2026-08-09'): TrainingProviderCommand => ({
  type: 'ChangeTrainingProvider',
  data: { changedOn, changes, provinceOfCommune },
});
const changeEmployer = (changes: object, provinceOfCommune: string | null = null, changedOn = '2026-08-09'): EmployerCommand => ({
  type: 'ChangeEmployer',
  data: { changedOn, changes, provinceOfCommune },
});
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
    check('already-registered', trainingProviderDecider.decide({ type: 'RegisterTrainingProvider', data: provider }, { ...provider, ...ACTIVE }, NOW));
    check('already-registered', e({}, { ...employer, ...ACTIVE }));
    check('not-registered', onProvider([], { type: 'CloseTrainingProvider', data: { closedOn: '2026-08-09' } }));
    check('not-registered', onEmployer([], changeEmployer({ name: 'X' })));
    check('entry-closed', onProvider([providerRegistered, providerClosed], changeProvider({ capacity: 10 })));
    check('entry-closed', onProvider([providerRegistered, providerClosed], { type: 'CloseTrainingProvider', data: { closedOn: '2026-08-09' } }));
    check('before-registration', onProvider([providerRegistered], changeProvider({ capacity: 10 }, null, '2026-07-31')));
    check('before-registration', onEmployer([employerRegistered], { type: 'CloseEmployer', data: { closedOn: '2026-07-01' } }));
    check('unknown-commune', onProvider([providerRegistered], changeProvider({ communeCode: '99999' }, null)));
    check('another-province', onEmployer([employerRegistered], changeEmployer({ communeCode: '00001' }, '01')));
    check('nothing-changed', onProvider([providerRegistered], changeProvider({ capacity: 120, kind: 'VOCATIONAL_SCHOOL' })));
    check('nothing-changed', onEmployer([employerRegistered], changeEmployer({ name: ' Công ty Than ' })));
    check('invalid-capacity', onProvider([providerRegistered], changeProvider({ capacity: 0 })));
    check('invalid-tax-code', onEmployer([employerRegistered], changeEmployer({ taxCode: '1' })));
    check('empty-text', onEmployer([employerRegistered], changeEmployer({ name: '  ' })));
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

  it('changes only the fields that differ, closes once, and folds both into the entry', () => {
    const changed = onProvider(
      [providerRegistered],
      changeProvider({ name: ' Trường CĐ Than ', capacity: 120, agencyCode: '22-NGO-9', communeCode: '06793' }, '22'),
    );
    expect(changed).toEqual([
      { type: 'TrainingProviderChanged', data: { providerId: 'p', changedOn: '2026-08-09', changes: { name: 'Trường CĐ Than', agencyCode: '22-NGO-9' } } },
    ]);
    const history = [providerRegistered, ...(changed as TrainingProviderEvent[])];
    expect(fold(trainingProviderDecider, history)).toMatchObject({ name: 'Trường CĐ Than', agencyCode: '22-NGO-9', capacity: 120, status: 'ACTIVE' });
    const closed = onProvider(history, { type: 'CloseTrainingProvider', data: { closedOn: '2026-08-10' } });
    expect(closed).toEqual([{ type: 'TrainingProviderClosed', data: { providerId: 'p', closedOn: '2026-08-10' } }]);
    expect(fold(trainingProviderDecider, [...history, ...(closed as TrainingProviderEvent[])])).toMatchObject({ status: 'CLOSED', closedOn: '2026-08-10' });

    expect(onEmployer([employerRegistered], changeEmployer({ sector: 'MANUFACTURING', taxCode: '5700100256-001' }))).toEqual([
      { type: 'EmployerChanged', data: { employerId: 'e', changedOn: '2026-08-09', changes: { sector: 'MANUFACTURING', taxCode: '5700100256-001' } } },
    ]);
    expect(onEmployer([employerRegistered], { type: 'CloseEmployer', data: { closedOn: '2026-08-01' } })).toEqual([
      { type: 'EmployerClosed', data: { employerId: 'e', closedOn: '2026-08-01' } },
    ]);
  });
});
