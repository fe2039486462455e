export {
  AGENCY_FUNCTIONS,
  AGENCY_TYPE_PERIODS,
  agencyEffectiveDates,
  agencyTypeHolding,
  agencyTypePeriodOn,
  agencyTypesHolding,
  agencyTypeValidUntil,
  agencyTypesWithoutPeriods,
  functionsOf,
  isAgencyTypeValidOn,
  NoAgencyHoldsFunctionError,
  REORGANISATION_2025,
  type AgencyFunction,
  type AgencyTypePeriod,
} from './agency-types';
export { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type AgencyType, type Principal, type Role } from './principal';
export {
  correlationIdFrom,
  currentContext,
  extendContext,
  metadataFromContext,
  runWithContext,
  type ContextMetadata,
  type RequestContext,
} from './request-context';
