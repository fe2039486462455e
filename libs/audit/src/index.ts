export {
  ACCESS_ACTIONS,
  accessLogStream,
  PERSONAL_DATA_ACCESSED,
  readAccessLog,
  recordAccess,
  type AccessAction,
  type AccessRecord,
  type AccessRequest,
  type PersonalDataAccessedV1,
} from './access-log';
export {
  activeBreakGlass,
  BREAK_GLASS_MAX_MINUTES,
  BREAK_GLASS_MAX_REASON_LENGTH,
  BREAK_GLASS_MIN_REASON_LENGTH,
  BREAK_GLASS_NOTIFIED,
  BREAK_GLASS_OPENED,
  breakGlassNoticesStream,
  breakGlassStream,
  grantBreakGlass,
  listBreakGlassForAgency,
  requireBreakGlass,
  type BreakGlassGrant,
  type BreakGlassOpenedV1,
  type BreakGlassRequest,
  type ListBreakGlassOptions,
} from './break-glass';
export { InvalidAuditInputError, NoActiveBreakGlassError, NotAttributableError } from './errors';
export {
  BREAK_GLASS_POLICY_RULES,
  BreakGlassController,
  BreakGlassListQueryDto,
  BreakGlassRequestDto,
  type BreakGlassDependencies,
  type BreakGlassGrantView,
} from './nest/break-glass.controller';
export { BreakGlassModule } from './nest/break-glass.module';
