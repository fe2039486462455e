import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { projectionsPolicy, type ProjectionsAction } from '../projections.policy';

/**
 * Throws the policy's refusal (403) unless the caller may do `action` on a record in `communeCode`:
 * its agency type and role, then its jurisdiction against the record's commune. A record without a
 * place is in nobody's scope.
 */
export function assertAnalystExportInScope(principal: Principal, action: ProjectionsAction, communeCode: string | null): void {
  projectionsPolicy.assertInScope(principal, action, { unitCodes: communeCode === null ? [] : [communeCode] }, jurisdiction);
}
