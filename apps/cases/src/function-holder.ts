import { AccessDeniedError } from '@haidang/auth';
import { agencyTypeHolding, type AgencyFunction, type Principal } from '@haidang/request-context';

/**
 * Acts done by "the holder" of a function (ADR 0010): the agency type that holds `fn` on the act's
 * date, from the platform's agency table. 403 for any other type — DOLISA after 2025-02-28, the
 * provincial police before 2025-03-01 for drug-rehab state management.
 */
export function assertHoldsFunction(principal: Principal, fn: AgencyFunction, onDate: string): void {
  let holder: string | undefined;
  try {
    holder = agencyTypeHolding(fn, onDate);
  } catch {
    // No agency holds it on that date (a date before the table): nobody may act.
    holder = undefined;
  }
  if (principal.agency.type !== holder) throw new AccessDeniedError('agency-type');
}
