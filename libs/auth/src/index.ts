export { principalFromClaims, claimsFromPrincipal, InvalidClaimsError, UNIT_CODE } from './identity/claims';
export { AccessDeniedError, UnauthenticatedError, type AccessDenial, type AuthenticationFailure, type ProblemDetails } from './identity/errors';
export {
  algorithmForPublicKey,
  createJwtVerifier,
  DEFAULT_AUDIENCE,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  DEFAULT_ISSUER,
  JWKS_ALGORITHMS,
  readPublicKeyPem,
  type JwtVerifier,
  type JwtVerifierOptions,
} from './identity/jwt-verifier';
export { authConfigFromEnv, isProduction, type AuthConfig, type AuthEnv } from './identity/auth-config';
export { DEV_KEYS_DIR, findRepoRoot, loadOrCreateDevKeys, type DevKeyPair } from './dev/dev-keys';
export { DEFAULT_DEV_TTL, devSubject, signDevToken, type DevTokenOptions } from './dev/dev-token';
export { parseTokenArgs, TOKEN_USAGE, type TokenArgs } from './dev/token-args';
export {
  definePolicy,
  prefixJurisdiction,
  SCOPES,
  type ActionRule,
  type Decision,
  type JurisdictionResolver,
  type Policy,
  type PolicyRules,
  type Scope,
  type ScopedResource,
} from './policy/policy';
export { Authorize, AUTHORIZE_ACTION, CurrentPrincipal, IS_PUBLIC, Public } from './nest/decorators';
export { AUTH_CLOCK, AUTH_POLICY, AUTHORIZATION_HEADER, JWT_VERIFIER } from './nest/tokens';
export { bearer, bearerTokenFrom } from './nest/bearer';
export { principalOf } from './nest/principal-holder';
export { AuthGuard, PolicyGuard } from './nest/guards';
export { AuthProblemFilter } from './nest/auth-problem.filter';
export { currentAuthorization, PrincipalContextInterceptor } from './nest/principal-context.interceptor';
export { AuthModule, type AuthModuleOptions } from './nest/auth.module';
export { DEFAULT_PUBLIC_PATHS, DEFAULT_PUBLIC_PATTERNS, findUnguardedHandlers, type FindUnguardedOptions } from './nest/find-unguarded-handlers';
export {
  describeAuthorizationMatrix,
  expectedAllowed,
  representativePrincipals,
  type AuthorizationCheck,
  type AuthorizationMatrixOptions,
  type RepresentativePrincipalsOptions,
} from './testing/authorization-matrix';
