import type { Pool } from 'pg';

/** Cases, referrals and placements as the working lists show them: ids, codes and dates, never a name. */
export interface CaseDue {
  readonly caseId: string;
  readonly communeCode: string;
  readonly form: string;
  readonly startedOn: string | null;
  readonly expectedEndOn: string | null;
  readonly recordedByAgency: string;
}
export interface ReferralWaiting {
  readonly referralId: string;
  readonly caseId: string | null;
  readonly serviceType: string;
  readonly fromAgency: string;
  readonly toAgency: string;
  readonly communeCode: string | null;
  readonly acceptedOn: string;
}
export interface FollowUpDue {
  readonly recordId: string;
  readonly placementId: string | null;
  readonly communeCode: string | null;
  readonly jobStartOn: string;
  readonly month: number;
  readonly dueOn: string;
}
export interface PipelineItem {
  readonly recordId: string;
  readonly communeCode: string | null;
  readonly stage: string;
  readonly stageOn: string;
}

const d = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

/** The working lists, read from the insights tables the integration events fill. */
export class WorklistQueries {
  constructor(private readonly pool: Pool) {}

  /** Cases in rehab in the communes whose expected end falls on or before `until`. */
  async casesDue(communes: readonly string[], until: string): Promise<CaseDue[]> {
    const { rows } = await this.pool.query<CaseDue>(
      `SELECT case_id AS "caseId", commune_code AS "communeCode", form, ${d('started_on', 'startedOn')}, ${d('expected_end_on', 'expectedEndOn')},
              recorded_by_agency AS "recordedByAgency"
       FROM insights.case_item WHERE status = 'IN_REHAB' AND commune_code = ANY($1) AND expected_end_on <= $2 ORDER BY expected_end_on, case_id LIMIT 500`,
      [communes, until],
    );
    return rows;
  }

  /** Accepted referrals of the communes whose service has not been reported given yet. */
  async referralsWaiting(communes: readonly string[]): Promise<ReferralWaiting[]> {
    const { rows } = await this.pool.query<ReferralWaiting>(
      // Sources are ordered each on its own, not between them: a referral may arrive before its case,
      // so its commune is the case's whenever the case is known by now.
      `SELECT r.referral_id AS "referralId", r.case_id AS "caseId", r.service_type AS "serviceType", r.from_agency AS "fromAgency", r.to_agency AS "toAgency",
              COALESCE(c.commune_code, r.commune_code) AS "communeCode", ${d('r.accepted_on', 'acceptedOn')}
       FROM insights.referral_item r LEFT JOIN insights.case_item c ON c.case_id = r.case_id
       WHERE r.status = 'ACCEPTED' AND COALESCE(c.commune_code, r.commune_code) = ANY($1) ORDER BY r.accepted_on, r.referral_id LIMIT 500`,
      [communes],
    );
    return rows;
  }

  /** Job follow-ups (3, 6, 12 months after the start) not recorded yet and due on or before `until`. */
  async followUpsDue(where: { communes?: readonly string[]; province?: string }, until: string): Promise<FollowUpDue[]> {
    const { rows } = await this.pool.query<FollowUpDue>(
      `SELECT record_id AS "recordId", placement_id AS "placementId", commune_code AS "communeCode", ${d('job_start_on', 'jobStartOn')}, m AS month,
              to_char(job_start_on + make_interval(months => m), 'YYYY-MM-DD') AS "dueOn"
       FROM insights.employment_item CROSS JOIN unnest(ARRAY[3, 6, 12]) AS m
       WHERE stage = 'PLACED' AND job_start_on IS NOT NULL AND NOT (m = ANY(follow_ups_done)) AND job_start_on + make_interval(months => m) <= $3::date
         AND (($1::text[] IS NOT NULL AND commune_code = ANY($1)) OR ($2::text IS NOT NULL AND province_code = $2))
       ORDER BY "dueOn", record_id LIMIT 500`,
      [where.communes ?? null, where.province ?? null, until],
    );
    return rows;
  }

  /** A facility's admissions still in rehab (recorded by the facility). */
  async facilityAdmissions(agency: string): Promise<CaseDue[]> {
    const { rows } = await this.pool.query<CaseDue>(
      `SELECT case_id AS "caseId", commune_code AS "communeCode", form, ${d('started_on', 'startedOn')}, ${d('expected_end_on', 'expectedEndOn')},
              recorded_by_agency AS "recordedByAgency"
       FROM insights.case_item WHERE status = 'IN_REHAB' AND recorded_by_agency = $1 ORDER BY started_on, case_id LIMIT 1000`,
      [agency],
    );
    return rows;
  }

  /** The employment centre's pipeline: referrals accepted and not yet served, then its records by stage. */
  async employmentPipeline(agency: string, province: string): Promise<{ referred: ReferralWaiting[]; records: PipelineItem[] }> {
    const referred = await this.pool.query<ReferralWaiting>(
      `SELECT referral_id AS "referralId", case_id AS "caseId", service_type AS "serviceType", from_agency AS "fromAgency", to_agency AS "toAgency",
              commune_code AS "communeCode", ${d('accepted_on', 'acceptedOn')}
       FROM insights.referral_item WHERE status = 'ACCEPTED' AND to_agency = $1 ORDER BY accepted_on, referral_id LIMIT 500`,
      [agency],
    );
    const records = await this.pool.query<PipelineItem>(
      `SELECT record_id AS "recordId", commune_code AS "communeCode", stage, ${d('stage_on', 'stageOn')}
       FROM insights.employment_item WHERE province_code = $1 AND stage <> 'CLOSED' ORDER BY stage_on, record_id LIMIT 1000`,
      [province],
    );
    return { referred: referred.rows, records: records.rows };
  }
}
