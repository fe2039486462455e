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
  'not-registered': 'no such register entry',
  'entry-closed': 'this register entry is closed and cannot change',
  'before-registration': 'a change or a closing cannot be dated before the entry was registered',
  'unknown-commune': 'no commune in force has that code',
  'another-province': 'a register entry stays in the province that registered it',
  'nothing-changed': 'the change names no field that differs from the entry',
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

/** What a change may set: any of the entry's descriptive fields (the province follows the commune and may not change). */
export type TrainingProviderChanges = Partial<Pick<TrainingProviderData, 'name' | 'kind' | 'communeCode' | 'capacity' | 'agencyCode'>>;
export type TrainingProviderRegistered = { readonly type: 'TrainingProviderRegistered'; readonly data: TrainingProviderData };
export type TrainingProviderChanged = {
  readonly type: 'TrainingProviderChanged';
  readonly data: { readonly providerId: string; readonly changedOn: IsoDate; readonly changes: TrainingProviderChanges };
};
export type TrainingProviderClosed = { readonly type: 'TrainingProviderClosed'; readonly data: { readonly providerId: string; readonly closedOn: IsoDate } };
export type TrainingProviderEvent = TrainingProviderRegistered | TrainingProviderChanged | TrainingProviderClosed;
export type RegisterTrainingProvider = { readonly type: 'RegisterTrainingProvider'; readonly data: TrainingProviderData };
/** `provinceOfCommune`: filled in by the service from the jurisdiction (undefined: no commune in force has the code). */
export type ChangeTrainingProvider = {
  readonly type: 'ChangeTrainingProvider';
  readonly data: { readonly changedOn: IsoDate; readonly changes: TrainingProviderChanges; readonly provinceOfCommune: string | null };
};
export type CloseTrainingProvider = { readonly type: 'CloseTrainingProvider'; readonly data: { readonly closedOn: IsoDate } };
export type TrainingProviderCommand = RegisterTrainingProvider | ChangeTrainingProvider | CloseTrainingProvider;
/** A register entry: its fields as they stand, ACTIVE until closed (a closed entry takes no new enrolment or job). */
export type RegisterStatus = { readonly status: 'ACTIVE' | 'CLOSED'; readonly closedOn: IsoDate | null };
export type TrainingProviderState = (TrainingProviderData & RegisterStatus) | null;

export type EmployerData = {
  readonly employerId: string;
  readonly name: string;
  readonly taxCode: string;
  readonly provinceCode: string;
  readonly communeCode: string;
  readonly sector: Sector;
  readonly registeredOn: IsoDate;
};

export type EmployerChanges = Partial<Pick<EmployerData, 'name' | 'taxCode' | 'communeCode' | 'sector'>>;
export type EmployerRegistered = { readonly type: 'EmployerRegistered'; readonly data: EmployerData };
export type EmployerChanged = {
  readonly type: 'EmployerChanged';
  readonly data: { readonly employerId: string; readonly changedOn: IsoDate; readonly changes: EmployerChanges };
};
export type EmployerClosed = { readonly type: 'EmployerClosed'; readonly data: { readonly employerId: string; readonly closedOn: IsoDate } };
export type EmployerEvent = EmployerRegistered | EmployerChanged | EmployerClosed;
export type RegisterEmployer = { readonly type: 'RegisterEmployer'; readonly data: EmployerData };
export type ChangeEmployer = {
  readonly type: 'ChangeEmployer';
  readonly data: { readonly changedOn: IsoDate; readonly changes: EmployerChanges; readonly provinceOfCommune: string | null };
};
export type CloseEmployer = { readonly type: 'CloseEmployer'; readonly data: { readonly closedOn: IsoDate } };
export type EmployerCommand = RegisterEmployer | ChangeEmployer | CloseEmployer;
export type EmployerState = (EmployerData & RegisterStatus) | null;

export const TRAINING_PROVIDER_AGGREGATE = 'TrainingProvider';
export const EMPLOYER_AGGREGATE = 'Employer';

type Decision<E> = readonly E[] | DomainError<RegisterErrorCode>;
const ACTIVE: RegisterStatus = { status: 'ACTIVE', closedOn: null };

export const trainingProviderDecider: Decider<TrainingProviderCommand, TrainingProviderEvent, TrainingProviderState> = {
  initialState: () => null,
  decide(command, state, now): Decision<TrainingProviderEvent> {
    if (command.type === 'RegisterTrainingProvider') {
      if (state !== null) return registerError('already-registered');
      const d = command.data;
      const bad = checkProvider(d) ?? checkDay(d.registeredOn, now);
      if (bad !== undefined) return bad;
      return [{ type: 'TrainingProviderRegistered', data: { ...d, name: d.name.trim() } }];
    }
    const open = checkOpen(state);
    if (open !== undefined) return open;
    const entry = state as NonNullable<TrainingProviderState>;
    if (command.type === 'CloseTrainingProvider') {
      const bad = checkDay(command.data.closedOn, now, entry.registeredOn);
      return bad ?? [{ type: 'TrainingProviderClosed', data: { providerId: entry.providerId, closedOn: command.data.closedOn } }];
    }
    const { changedOn, changes, provinceOfCommune } = command.data;
    const badPlace = checkPlace(changes.communeCode, provinceOfCommune, entry.provinceCode);
    const name = typeof changes.name === 'string' ? changes.name.trim() : changes.name;
    const bad = badPlace ?? checkProvider({ ...entry, ...changes, name: name ?? entry.name }) ?? checkDay(changedOn, now, entry.registeredOn);
    if (bad !== undefined) return bad;
    const differing = differences({ ...changes, ...(name === undefined ? {} : { name }) }, entry);
    if (differing === undefined) return registerError('nothing-changed');
    return [{ type: 'TrainingProviderChanged', data: { providerId: entry.providerId, changedOn, changes: differing } }];
  },
  evolve(state, event): TrainingProviderState {
    switch (event.type) {
      case 'TrainingProviderRegistered':
        return { ...event.data, ...ACTIVE };
      case 'TrainingProviderChanged':
        return state === null ? state : { ...state, ...event.data.changes };
      case 'TrainingProviderClosed':
        return state === null ? state : { ...state, status: 'CLOSED', closedOn: event.data.closedOn };
    }
  },
};

export const employerDecider: Decider<EmployerCommand, EmployerEvent, EmployerState> = {
  initialState: () => null,
  decide(command, state, now): Decision<EmployerEvent> {
    if (command.type === 'RegisterEmployer') {
      if (state !== null) return registerError('already-registered');
      const d = command.data;
      const bad = checkEmployer(d) ?? checkDay(d.registeredOn, now);
      if (bad !== undefined) return bad;
      return [{ type: 'EmployerRegistered', data: { ...d, name: d.name.trim() } }];
    }
    const open = checkOpen(state);
    if (open !== undefined) return open;
    const entry = state as NonNullable<EmployerState>;
    if (command.type === 'CloseEmployer') {
      const bad = checkDay(command.data.closedOn, now, entry.registeredOn);
      return bad ?? [{ type: 'EmployerClosed', data: { employerId: entry.employerId, closedOn: command.data.closedOn } }];
    }
    const { changedOn, changes, provinceOfCommune } = command.data;
    const badPlace = checkPlace(changes.communeCode, provinceOfCommune, entry.provinceCode);
    const name = typeof changes.name === 'string' ? changes.name.trim() : changes.name;
    const bad = badPlace ?? checkEmployer({ ...entry, ...changes, name: name ?? entry.name }) ?? checkDay(changedOn, now, entry.registeredOn);
    if (bad !== undefined) return bad;
    const differing = differences({ ...changes, ...(name === undefined ? {} : { name }) }, entry);
    if (differing === undefined) return registerError('nothing-changed');
    return [{ type: 'EmployerChanged', data: { employerId: entry.employerId, changedOn, changes: differing } }];
  },
  evolve(state, event): EmployerState {
    switch (event.type) {
      case 'EmployerRegistered':
        return { ...event.data, ...ACTIVE };
      case 'EmployerChanged':
        return state === null ? state : { ...state, ...event.data.changes };
      case 'EmployerClosed':
        return state === null ? state : { ...state, status: 'CLOSED', closedOn: event.data.closedOn };
    }
  },
};

function checkProvider(d: Pick<TrainingProviderData, 'name' | 'kind' | 'capacity'>): DomainError<RegisterErrorCode> | undefined {
  if (typeof d.name !== 'string' || d.name.trim() === '') return registerError('empty-text');
  if (!isOneOf(PROVIDER_KINDS, d.kind)) return registerError('unknown-code');
  if (!Number.isInteger(d.capacity) || d.capacity < 1 || d.capacity > 100_000) return registerError('invalid-capacity');
  return undefined;
}

function checkEmployer(d: Pick<EmployerData, 'name' | 'taxCode' | 'sector'>): DomainError<RegisterErrorCode> | undefined {
  if (typeof d.name !== 'string' || d.name.trim() === '') return registerError('empty-text');
  if (!/^\d{10}(-\d{3})?$/.test(d.taxCode)) return registerError('invalid-tax-code');
  if (!isOneOf(SECTORS, d.sector)) return registerError('unknown-code');
  return undefined;
}

function checkOpen(state: { readonly status: RegisterStatus['status'] } | null): DomainError<RegisterErrorCode> | undefined {
  if (state === null) return registerError('not-registered');
  return state.status === 'CLOSED' ? registerError('entry-closed') : undefined;
}

/** A commune that moves the entry must be in force and in the entry's province. */
function checkPlace(communeCode: string | undefined, provinceOfCommune: string | null, provinceCode: string): DomainError<RegisterErrorCode> | undefined {
  if (communeCode === undefined) return undefined;
  if (provinceOfCommune === null) return registerError('unknown-commune');
  return provinceOfCommune === provinceCode ? undefined : registerError('another-province');
}

/** The fields of `changes` whose value differs from the entry's, or undefined when none does. */
function differences<T extends object>(changes: T, entry: object): T | undefined {
  const current = entry as Record<string, unknown>;
  const differing = Object.fromEntries(Object.entries(changes).filter(([field, value]) => value !== undefined && value !== current[field]));
  return Object.keys(differing).length === 0 ? undefined : (differing as T);
}

function checkDay(date: string, now: Date, notBefore?: IsoDate): DomainError<RegisterErrorCode> | undefined {
  if (!isIsoDate(date) || date > vietnamDateOf(now)) return registerError('invalid-date');
  return notBefore !== undefined && date < notBefore ? registerError('before-registration') : undefined;
}
