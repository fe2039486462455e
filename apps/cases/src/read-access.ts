import { Inject, Injectable } from '@nestjs/common';
import { AccessDeniedError, type ScopedResource } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { BREAK_GLASS_READS, casesPolicy, type BreakGlassReadAction } from './cases.policy';
import { CLOCK } from './tokens';

/**
 * The port through which read authorization learns of break-glass grants (issue 10 §12): the id of
 * the principal's grant that is open at `now` on any of the subjects (record stream ids such as
 * `Person-<uuid>`), if any. Answered by libs/audit in the module's wiring.
 */
export interface BreakGlassGrants {
  activeGrant(principalSub: string, subjectIds: readonly string[], now: Date): Promise<string | undefined>;
}
export const BREAK_GLASS_GRANTS = Symbol('BREAK_GLASS_GRANTS');

/** How a read was allowed: by the principal's own scope, or by a break-glass grant (to be logged with its id). */
export type ReadAuthorization = { readonly via: 'scope' } | { readonly via: 'break-glass'; readonly grantId: string };

/**
 * The cases service's read authorization: the policy's scope first; a read the scope refuses is
 * let through only by an unexpired break-glass grant of this principal on the record, and only
 * for the reads of one record that the policy lists (`BREAK_GLASS_READS`). Commands never come
 * here: they stay within the scope.
 */
@Injectable()
export class ReadAccess {
  constructor(
    @Inject(BREAK_GLASS_GRANTS) private readonly grants: BreakGlassGrants,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  /** Throws the policy's 403 unless the scope covers the record or a grant on one of `subjects` is open now. */
  async authorize(principal: Principal, action: BreakGlassReadAction, resource: ScopedResource, subjects: readonly string[]): Promise<ReadAuthorization> {
    try {
      casesPolicy.assertInScope(principal, action, resource, jurisdiction);
      return { via: 'scope' };
    } catch (error) {
      // Only a scope refusal can be broken through: the agency type and role must still be the read's.
      if (!(error instanceof AccessDeniedError) || error.reason !== 'out-of-scope' || !BREAK_GLASS_READS.includes(action)) throw error;
      const grantId = await this.grants.activeGrant(principal.sub, subjects, this.clock());
      if (grantId === undefined) throw error;
      return { via: 'break-glass', grantId };
    }
  }
}

/** Every `<Aggregate>-<uuid>` a grant for a person's records may name: the person's own stream. */
export const personSubject = (personId: string): string => `Person-${personId}`;
