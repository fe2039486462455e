import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import { domainErrors, type Decider, type DomainError } from '@haidang/decider';
import { isOneOf } from '../../employment-record/domain/employment.vocabulary';

/**
 * The two registers of the service, each entry an aggregate of its own: training providers
 * (vocational schools, centres, businesses that train) and employers. Organisations only: no
 * personal data, so nothing is encrypted and anyone the policy lets read them sees every field.
 */

export const PROVIDER_KINDS = ['VOCATIONAL_SCHOOL', 'VOCATIONAL_CENTRE', 'BUSINESS'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const SECTORS = [
  'MINING',
  'MANUFACTURING',
  'CONSTRUCTION',
  'TOURISM_HOSPITALITY',
  'AGRICULTURE_FISHERIES',
  'TRANSPORT_LOGISTICS',
  'TRADE_SERVICES',
  'OTHER',
] as const;
export type Sector = (typeof SECTORS)[number];

export const REGISTER_ERROR_MESSAGES = {
  'already-registered': 'this register entry already exists',
  'empty-text': 'the name must not be empty',
  'unknown-code': 'a code is not one of the list',
  'invalid-tax-code': 'a tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch',
  'invalid-capacity': 'the capacity is a whole number of trainees from 1 to 100000',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD, not later than today',
} as const;
export type RegisterErrorCode = keyof typeof REGISTER_ERROR_MESSAGES;
export const registerError = domainErrors<RegisterErrorCode>(REGISTER_ERROR_MESSAGES);

export type TrainingProviderData = {
  readonly providerId: string;
  readonly name: string;
  readonly kind: ProviderKind;
  readonly provinceCode: string;
  readonly communeCode: string;
  /** Trainees it can take at once. */
  readonly capacity: number;
  /** The provider's own agency code, when it signs in (it then sees the enrolments at itself). */
  readonly agencyCode: string | null;
  readonly registeredOn: IsoDate;
};

export type TrainingProviderRegistered = { readonly type: 'TrainingProviderRegistered'; readonly data: TrainingProviderData };
export type RegisterTrainingProvider = { readonly type: 'RegisterTrainingProvider'; readonly data: TrainingProviderData };
export type TrainingProviderState = TrainingProviderData | null;

export type EmployerData = {
  readonly employerId: string;
  readonly name: string;
  readonly taxCode: string;
  readonly provinceCode: string;
  readonly communeCode: string;
  readonly sector: Sector;
  readonly registeredOn: IsoDate;
};

export type EmployerRegistered = { readonly type: 'EmployerRegistered'; readonly data: EmployerData };
export type RegisterEmployer = { readonly type: 'RegisterEmployer'; readonly data: EmployerData };
export type EmployerState = EmployerData | null;

export const TRAINING_PROVIDER_AGGREGATE = 'TrainingProvider';
export const EMPLOYER_AGGREGATE = 'Employer';

type Decision<E> = readonly E[] | DomainError<RegisterErrorCode>;

export const trainingProviderDecider: Decider<RegisterTrainingProvider, TrainingProviderRegistered, TrainingProviderState> = {
  initialState: () => null,
  decide(command, state, now): Decision<TrainingProviderRegistered> {
    if (state !== null) return registerError('already-registered');
    const d = command.data;
    if (typeof d.name !== 'string' || d.name.trim() === '') return registerError('empty-text');
    if (!isOneOf(PROVIDER_KINDS, d.kind)) return registerError('unknown-code');
    if (!Number.isInteger(d.capacity) || d.capacity < 1 || d.capacity > 100_000) return registerError('invalid-capacity');
    const badDate = checkDay(d.registeredOn, now);
    if (badDate !== undefined) return badDate;
    return [{ type: 'TrainingProviderRegistered', data: { ...d, name: d.name.trim() } }];
  },
  evolve: (_state, event) => event.data,
};

export const employerDecider: Decider<RegisterEmployer, EmployerRegistered, EmployerState> = {
  initialState: () => null,
  decide(command, state, now): Decision<EmployerRegistered> {
    if (state !== null) return registerError('already-registered');
    const d = command.data;
    if (typeof d.name !== 'string' || d.name.trim() === '') return registerError('empty-text');
    if (!/^\d{10}(-\d{3})?$/.test(d.taxCode)) return registerError('invalid-tax-code');
    if (!isOneOf(SECTORS, d.sector)) return registerError('unknown-code');
    const badDate = checkDay(d.registeredOn, now);
    if (badDate !== undefined) return badDate;
    return [{ type: 'EmployerRegistered', data: { ...d, name: d.name.trim() } }];
  },
  evolve: (_state, event) => event.data,
};

function checkDay(date: string, now: Date): DomainError<RegisterErrorCode> | undefined {
  return isIsoDate(date) && date <= vietnamDateOf(now) ? undefined : registerError('invalid-date');
}
