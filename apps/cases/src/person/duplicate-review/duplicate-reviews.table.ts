import type { DataSource } from 'typeorm';
import type { DuplicateReviewTask, DuplicateReviews } from '../register-person/register-person.handler';

/** A review task as its reviewers see it: ids and reason codes, no personal data. */
export interface DuplicateReviewView {
  readonly reviewId: string;
  readonly registeredPersonId: string;
  readonly matchedPersonId: string;
  readonly provinceCode: string;
  readonly reasons: readonly string[];
  readonly registeredBy: string;
  readonly status: string;
  readonly createdAt: string;
}

export const DUPLICATE_REVIEW_OUTCOMES = ['SAME_PERSON', 'DIFFERENT_PERSONS'] as const;
export type DuplicateReviewOutcome = (typeof DUPLICATE_REVIEW_OUTCOMES)[number];

/** A review as its resolver finds it, in the caller's province. */
export interface DuplicateReviewRow {
  readonly reviewId: string;
  readonly registeredPersonId: string;
  readonly matchedPersonId: string;
  readonly status: string;
  readonly outcome: DuplicateReviewOutcome | null;
}

/** Table `duplicate_reviews` (cases.migrations): the tasks, by the province that holds the match. */
export class DuplicateReviewsTable implements DuplicateReviews {
  constructor(private readonly db: DataSource) {}

  async open(task: DuplicateReviewTask): Promise<void> {
    await this.db.query(
      `INSERT INTO duplicate_reviews (review_id, registered_person_id, matched_person_id, province_code, reasons, registered_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (registered_person_id, matched_person_id) DO NOTHING`,
      [task.reviewId, task.registeredPersonId, task.matchedPersonId, task.provinceCode, [...task.reasons], task.registeredBy, task.createdAt],
    );
  }

  /** The review when it belongs to `provinceCode`; another province's is as absent as a missing one. */
  async findIn(provinceCode: string, reviewId: string): Promise<DuplicateReviewRow | undefined> {
    const rows = (await this.db.query(
      `SELECT review_id, registered_person_id, matched_person_id, status, outcome FROM duplicate_reviews WHERE review_id = $1 AND province_code = $2`,
      [reviewId, provinceCode],
    )) as { review_id: string; registered_person_id: string; matched_person_id: string; status: string; outcome: DuplicateReviewOutcome | null }[];
    const r = rows[0];
    return (
      r && { reviewId: r.review_id, registeredPersonId: r.registered_person_id, matchedPersonId: r.matched_person_id, status: r.status, outcome: r.outcome }
    );
  }

  /** Claims a pending review for its resolution; false when it was resolved already (or meanwhile). */
  async resolve(reviewId: string, resolution: { outcome: DuplicateReviewOutcome; by: string; at: Date; note: string | undefined }): Promise<boolean> {
    const rows = (await this.db.query(
      `UPDATE duplicate_reviews SET status = 'resolved', outcome = $2, resolved_by = $3, resolved_at = $4, note = $5
        WHERE review_id = $1 AND status = 'pending' RETURNING review_id`,
      [reviewId, resolution.outcome, resolution.by, resolution.at, resolution.note ?? null],
    )) as [unknown[], number]; // TypeORM answers an UPDATE with [rows, affected]
    return rows[1] === 1;
  }

  /** Undoes a claim whose recording failed, so the review can be resolved again. */
  async reopen(reviewId: string): Promise<void> {
    await this.db.query(
      `UPDATE duplicate_reviews SET status = 'pending', outcome = NULL, resolved_by = NULL, resolved_at = NULL, note = NULL WHERE review_id = $1`,
      [reviewId],
    );
  }

  async pendingIn(provinceCode: string, limit = 100): Promise<DuplicateReviewView[]> {
    const rows = (await this.db.query(
      `SELECT review_id, registered_person_id, matched_person_id, province_code, reasons, registered_by, status, created_at
         FROM duplicate_reviews WHERE province_code = $1 AND status = 'pending' ORDER BY created_at, review_id LIMIT $2`,
      [provinceCode, limit],
    )) as {
      review_id: string;
      registered_person_id: string;
      matched_person_id: string;
      province_code: string;
      reasons: string[];
      registered_by: string;
      status: string;
      created_at: Date;
    }[];
    return rows.map((r) => ({
      reviewId: r.review_id,
      registeredPersonId: r.registered_person_id,
      matchedPersonId: r.matched_person_id,
      provinceCode: r.province_code,
      reasons: r.reasons,
      registeredBy: r.registered_by,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
