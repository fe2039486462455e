import { AccessDeniedError } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { crossBorderPolicy, KINDS_READ_BY, type CrossBorderAction } from '../cross-border.policy';
import type { RecordKind } from './domain';

/**
 * Throws the policy's refusal (403) unless the caller may do `action` on a record of `provinceCode`:
 * agency type and role, then the province (nobody outside it reaches anything), then, for reading,
 * the record's kind (foreign affairs reads meetings only). A record without a province is in nobody's
 * scope. A record outside the caller's scope is refused as the cases service refuses a person outside
 * it: 403, and only an id that exists nowhere is 404.
 */
export function assertCooperationRecordInScope(
  principal: Principal,
  action: CrossBorderAction,
  provinceCode: string | null | undefined,
  kind?: RecordKind,
): void {
  crossBorderPolicy.assertInScope(principal, action, { unitCodes: provinceCode ? [provinceCode] : [] }, jurisdiction);
  const kinds = KINDS_READ_BY[principal.agency.type];
  if (action === 'records.read' && kinds !== undefined && (kind === undefined || !kinds.includes(kind))) throw new AccessDeniedError('out-of-scope');
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
