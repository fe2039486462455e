import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { PlatformRequest } from '../http-types';

/**
 * Counts requests per principal (`req.principal.sub`, set by `@haidang/auth`), else per client IP:
 * officers behind one agency NAT must not exhaust each other's budget.
 *
 * HTTP only. A service that mounts its NATS handlers with `inheritAppConfig` gets this guard on
 * them too, where there is neither a request IP nor a request principal: every calling service
 * would share one bucket and be refused together. Service-to-service calls are bounded by the
 * broker and the callers' own limits instead.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return super.canActivate(context);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as PlatformRequest;
    return principal?.sub ? `principal:${principal.sub}` : `ip:${ip ?? 'unknown'}`;
  }
}
