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
