import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { PlatformRequest } from '../http-types';

/**
 * Counts requests per principal (`req.principal.sub`, set by `@haidang/auth`), else per client IP:
 * officers behind one agency NAT must not exhaust each other's budget.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as PlatformRequest;
    return principal?.sub ? `principal:${principal.sub}` : `ip:${ip ?? 'unknown'}`;
  }
}
