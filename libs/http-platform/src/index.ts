export { createServiceApp, corsOriginsFrom, DEFAULT_SERVICE_PORTS, type ServiceApp, type ServiceAppOptions } from './create-service-app';
export { DEFAULT_RATE_LIMIT, rateLimitFromEnv, type RateLimitEnv, type RateLimitOptions } from './rate-limit/rate-limit-config';
export { AddressBudget } from './rate-limit/address-budget';
export { FORBIDDEN_KEYS, findHostileShape, MAX_BODY_DEPTH } from './problem/hostile-input';
export { NO_STORE_HEADERS } from './context/no-store.middleware';
export {
  DomainRuleViolation,
  internalErrorProblem,
  isProblemDetails,
  problem,
  PROBLEM_CONTENT_TYPE,
  ProblemHttpException,
  problemType,
  statusTitle,
  validationProblem,
  type FieldError,
  type ProblemDetails,
  type ProblemInit,
} from './problem/problem-details';
export { problemFromError, type MappedProblem } from './problem/problem-from-error';
export { problemFromBodyParserError } from './problem/body-parser-errors';
export { ProblemExceptionFilter } from './problem/problem-exception.filter';
export { createValidationPipe, fieldErrorsFromValidation } from './problem/validation';
export { safeErrorLog } from './problem/send-problem';
export { contextForRequest, CORRELATION_ID_HEADER, correlationIdMiddleware, requestContextMiddleware } from './context/request-context.middleware';
export {
  createServiceLogging,
  logLevelFrom,
  PERSONAL_FIELD_NAMES,
  pinoOptions,
  REDACTED,
  redactForLog,
  SECRET_FIELD_NAMES,
  type ServiceLogging,
} from './logging/logging';
export { IS_PUBLIC_KEY, PublicRoute } from './public-route';
export { PrincipalThrottlerGuard } from './rate-limit/principal-throttler.guard';
export { HTTP_DURATION_METRIC } from './ops/metrics';
export { checkIndicator, postgresReadiness, transportReadiness, type Pingable, type ReadinessIndicator } from './ops/readiness';
export { routePattern, type PlatformRequest } from './http-types';
export { validated } from './problem/validated';
export { etagOf, idempotencyKeyFrom, versionConflict, versionFromIfMatch, type HeaderSink } from './problem/conditional-requests';
