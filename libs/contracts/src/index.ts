export { assertValid, ContractViolationError, type Validation } from './validate';
export { CONTRACT_REHAB_CASE_STATUSES, CONTRACT_REHAB_FORMS, type ContractRehabCaseStatus, type ContractRehabForm } from './cases-vocabulary';
export {
  CasesSubjects,
  validatePersonsGetRequestV1,
  validatePersonsGetResponseV1,
  validateRehabCasesGetRequestV1,
  validateRehabCasesGetResponseV1,
  type CasesSubject,
  type PersonsGetRequestV1,
  type PersonsGetResponseV1,
  type RehabCasesGetRequestV1,
  type RehabCasesGetResponseV1,
} from './cases-rpc';
export {
  validatePersonsRegisterRequestV1,
  validatePersonsRegisterResponseV1,
  type PersonsRegisterRequestV1,
  type PersonsRegisterResponseV1,
} from './cases-persons-register';
export {
  CasesIntegrationEventTypes,
  validateCasesIntegrationEvent,
  validatePersonErasedV1,
  validatePostRehabManagementStartedV1,
  validateRehabCompletedV1,
  validateRehabStartedV1,
  type CasesIntegrationEvent,
  type PersonErasedV1,
  type PostRehabManagementStartedV1,
  type RehabCompletedV1,
  type RehabStartedV1,
} from './cases-events';
export {
  CONTRACT_SERVICE_TYPES,
  ReferralsIntegrationEventTypes,
  validateReferralAcceptedV1,
  type ContractServiceType,
  type ReferralAcceptedV1,
  type ReferralsIntegrationEvent,
} from './referrals-events';
export * from './employment-events';
export * from './campaigns-events';
export * from './cross-border-events';
