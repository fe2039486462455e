import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { referralsProjection } from './referrals.projection';

/** A row of `referral_row` as raw SQL returns it. */
export interface ReferralRecord {
  referral_id: string;
  person_id: string;
  case_id: string | null;
  from_agency: string;
  to_agency: string | null;
  service_type: string;
  reason_code: string | null;
  urgency: string;
  status: string;
  proposed_on: string | null;
  sent_on: string | null;
  due_on: string | null;
  overdue: boolean;
  accepted_on: string | null;
  closed_on: string | null;
  consent_withdrawn: boolean;
  shares_treatment_data: boolean;
  has_legal_basis: boolean;
  consent_covers_service: boolean;
  consent_covers_treatment_data: boolean;
  version: number;
}

/**
 * Overdue as the lists show it: still waiting, and marked by the deadline checker or after the due
 * date today (so a list is right before the checker has run). `$1` is today in Vietnam. The status
 * guard matches the projection, which clears the flag once the referral is answered or closed.
 */
export const OVERDUE_SQL = `(status IN ('SENT', 'REDIRECTED') AND (overdue OR (due_on IS NOT NULL AND due_on < $1)))`;

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryReferrals<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, referralsProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError)
      throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'The referral lists are being built. Try again shortly.' }));
    throw error;
  }
}
