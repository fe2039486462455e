import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessDeniedError, UnauthenticatedError } from '../identity/errors';
import type { JwtVerifier } from '../identity/jwt-verifier';
import type { Policy } from '../policy/policy';
import { authorizationOf, bearerTokenFrom } from './bearer';
import { AUTHORIZE_ACTION, IS_PUBLIC } from './decorators';
import { principalOf, setPrincipal } from './principal-holder';
import { AUTH_CLOCK, AUTH_POLICY, JWT_VERIFIER } from './tokens';

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
  headersSent?: boolean;
}

/**
 * Over HTTP a refusal is `application/problem+json`, and a 401 also says how to authenticate.
 * Set here, where the refusal is known, so that whichever exception filter renders the body
 * (Nest's own or the platform's) keeps them.
 */
function prepareRefusal(context: ExecutionContext, status: 401 | 403): void {
  if (context.getType() !== 'http') return;
  const response = context.switchToHttp().getResponse<HeaderSink>();
  if (response.headersSent) return;
  response.setHeader('Content-Type', 'application/problem+json');
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
}

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

/** Verifies the bearer token of every request and message, except `@Public()` handlers. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    try {
      const token = bearerTokenFrom(authorizationOf(context));
      if (token === undefined) throw new UnauthenticatedError('missing');
      if (token === 'malformed') throw new UnauthenticatedError('malformed');
      setPrincipal(context, await this.verifier.verify(token), token);
      return true;
    } catch (error) {
      if (error instanceof UnauthenticatedError) prepareRefusal(context, 401);
      throw error;
    }
  }
}

/** The day in Vietnam (UTC+7, no daylight saving) of an instant, `YYYY-MM-DD`. */
function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + 7 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/**
 * Deny by default: a handler runs only if it is `@Public()` or names an `@Authorize` action the
 * service's policy grants to the principal's agency type and roles, and that agency type exists on
 * the day the request is handled (a DOLISA token is refused after 2025-02-28: 403
 * `agency-dissolved`, ADR 0010). Resource scope (own jurisdiction, own agency) needs the resource,
 * so handlers check it with `policy.assertInScope`.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_POLICY) private readonly policy: Policy,
    @Inject(AUTH_CLOCK) private readonly clock: () => Date,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const principal = principalOf(context);
    if (!principal) {
      prepareRefusal(context, 401);
      throw new UnauthenticatedError('missing');
    }
    const action = this.reflector.getAllAndOverride<string | undefined>(AUTHORIZE_ACTION, [context.getHandler(), context.getClass()]);
    const decision =
      action === undefined ? ({ allowed: false, reason: 'no-policy' } as const) : this.policy.decide(principal, action, vietnamDay(this.clock()));
    if (!decision.allowed) {
      prepareRefusal(context, 403);
      throw new AccessDeniedError(decision.reason);
    }
    return true;
  }
}
