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
