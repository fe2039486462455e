import { addWorkingDays, type IsoDate } from '@haidang/calendar';
import { AGENCY_TYPE_PERIODS, agencyTypesHolding, parseAgencyCode as parsePlatformAgencyCode } from '@haidang/request-context';
import { AGENCY_TYPE_TABLE, type AgencyType, SERVICE_CATALOGUE, SERVICE_TYPES, type ServiceType, type Urgency, URGENCIES } from './referral-catalogue.data';

/** An agency as events record it: its code and the type read from that code (no names). */
export interface AgencyRef {
  /** e.g. `22-EMPLOYMENT_CENTRE`, `22-COMMUNE-06793`, `22-SUPPORT_MODEL-3`. */
  readonly code: string;
  readonly type: AgencyType;
}

/**
 * Reads `<province>-<TYPE>[-<n>]` with the platform's parser (the same one that reads tokens); null
 * when malformed or the type is unknown. Events keep the code and type only.
 */
export function parseAgencyCode(code: string): AgencyRef | null {
  if (typeof code !== 'string') return null;
  const agency = parsePlatformAgencyCode(code);
  return agency === undefined ? null : { code: agency.code, type: agency.type };
}

/** A non-state receiver (SUPPORT_MODEL, NGO) gets personal data only with consent or a legal basis. */
export function isStateBody(type: AgencyType): boolean {
  return AGENCY_TYPE_TABLE[type].stateBody;
}

/**
 * The agency types that may receive the service on `on` (the day the referral is sent or
 * redirected): the catalogue's fixed receivers and whoever holds its provincial functions that day.
 * A referral sent earlier keeps the receiver it had: its events are not rewritten.
 */
export function receiversOn(serviceType: ServiceType, on: IsoDate): AgencyType[] {
  const rule = SERVICE_CATALOGUE[serviceType];
  const holders = rule.receivingFunctions.flatMap((fn) => agencyTypesHolding(fn, on));
  return [...new Set<AgencyType>([...rule.receivers, ...holders])];
}

export function canReceive(serviceType: ServiceType, agencyType: AgencyType, on: IsoDate): boolean {
  return receiversOn(serviceType, on).includes(agencyType);
}

/** Every agency type that may ever have received the service, for the policy (the date rule narrows it). */
export function receiversOnAnyDate(serviceType: ServiceType): AgencyType[] {
  const rule = SERVICE_CATALOGUE[serviceType];
  const holders = AGENCY_TYPE_PERIODS.filter((period) => period.functions.some((fn) => rule.receivingFunctions.includes(fn))).map((period) => period.type);
  return [...new Set<AgencyType>([...rule.receivers, ...holders])];
}

export function isHealthRelated(serviceType: ServiceType): boolean {
  return SERVICE_CATALOGUE[serviceType].healthRelated;
}

export function responseWorkingDays(serviceType: ServiceType, urgency: Urgency): number {
  return SERVICE_CATALOGUE[serviceType].responseWorkingDays[urgency];
}

/**
 * The last day the receiver may answer: the catalogue's working days after `from` on the
 * public-sector calendar (weekends, holidays, days in lieu, Tết), counted from the next day.
 */
export function catalogueDueOn(from: IsoDate, serviceType: ServiceType, urgency: Urgency): IsoDate {
  return addWorkingDays(from, responseWorkingDays(serviceType, urgency));
}

export function isServiceType(value: unknown): value is ServiceType {
  return isOneOf(SERVICE_TYPES, value);
}

export function isUrgency(value: unknown): value is Urgency {
  return isOneOf(URGENCIES, value);
}

/** Membership test for the `as const` code lists (input may arrive untyped). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
