import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { crossBorderPolicy, type CrossBorderAction } from '../cross-border.policy';

/**
 * Throws the policy's refusal (403) unless the caller may do `action` on a record of `provinceCode`:
 * agency type and role, then the province (nobody outside it reaches anything). A record without a
 * province is in nobody's scope.
 */
export function assertCooperationRecordInScope(principal: Principal, action: CrossBorderAction, provinceCode: string | null | undefined): void {
  crossBorderPolicy.assertInScope(principal, action, { unitCodes: provinceCode ? [provinceCode] : [] }, jurisdiction);
}

/** Whether the caller handles the persons of the province's handovers (names shown), beyond reading the record. */
export function handlesPersons(principal: Principal, provinceCode: string | null | undefined): boolean {
  try {
    assertCooperationRecordInScope(principal, 'records.persons', provinceCode);
    return true;
  } catch {
    return false;
  }
}
