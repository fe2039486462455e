import type { DataSource } from 'typeorm';
import type { IsoDate } from '@haidang/calendar';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { PENDING_STATUSES } from '../../referral/domain';
import { referralsProjection } from './referrals.projection';

/**
 * Candidates from the read model: pending, due before today, not marked for the current receiver (a
 * redirect clears the flag). The read model only narrows the search; the decision is made on the
 * stream, so a lagging projection can cost a wasted load, never a wrong or a second event.
 */
const CANDIDATES_SQL = `SELECT referral_id FROM referral_row
  WHERE status = ANY($1) AND NOT overdue AND due_on IS NOT NULL AND due_on < $2
  ORDER BY due_on, referral_id LIMIT $3`;

/** The read side's answer to the deadline checker's OverdueCandidates port; undefined while the read model is first built. */
export function overdueCandidatesFrom(readModel: DataSource): (today: IsoDate, limit: number) => Promise<readonly string[] | undefined> {
  return async (today, limit) => {
    try {
      const rows = await withReadModel(
        readModel,
        referralsProjection.name,
        (em) => em.query(CANDIDATES_SQL, [PENDING_STATUSES, today, limit]) as Promise<{ referral_id: string }[]>,
      );
      return rows.map((r) => r.referral_id);
    } catch (error) {
      if (error instanceof ProjectionNotActiveError) return undefined;
      throw error;
    }
  };
}
