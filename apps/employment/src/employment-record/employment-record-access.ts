import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { employmentPolicy, type EmploymentAction } from '../employment.policy';

/**
 * Throws the policy's refusal (403) unless the caller may do `action` on a record in `communeCode`:
 * its agency type and role, then its jurisdiction against the record's commune. A record without a
 * place is in nobody's scope.
 */
export function assertEmploymentRecordInScope(principal: Principal, action: EmploymentAction, communeCode: string | null): void {
  employmentPolicy.assertInScope(principal, action, { unitCodes: communeCode === null ? [] : [communeCode] }, jurisdiction);
}
