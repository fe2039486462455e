import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { employmentPolicy, type EmploymentAction } from '../employment.policy';

/**
 * Throws the policy's refusal (403) unless the caller may do `action` on a record: its agency type
 * and role, then its scope against the record's commune of residence, or its province while the
 * commune is not known yet (a record opened from a referral): the centre reaches it, no commune does.
 */
export function assertEmploymentRecordInScope(
  principal: Principal,
  action: EmploymentAction,
  place: { readonly communeCode: string | null; readonly provinceCode: string | null },
): void {
  const unit = place.communeCode ?? place.provinceCode;
  employmentPolicy.assertInScope(principal, action, { unitCodes: unit === null ? [] : [unit] }, jurisdiction);
}
