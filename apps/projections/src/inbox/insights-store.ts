import type { Pool, PoolClient } from 'pg';
import { factsOf, type Fact } from './facts';

/**
 * The version of what the derived tables are made of (`factsOf`, the plan and list updates). Bump it
 * when that changes: the next start rebuilds them from the inbox before consuming (blue/green by
 * MVCC: readers see the old tables until the rebuild commits).
 */
export const DERIVED_VERSION = 1;

/** The services whose integration events feed the projections, each consumed in its own order. */
export const INTEGRATION_SOURCES = ['cases', 'referrals', 'employment', 'campaigns', 'cross-border'] as const;
export type IntegrationSource = (typeof INTEGRATION_SOURCES)[number];

export interface ReceivedEvent {
  readonly source: IntegrationSource;
  /** The id consumers dedupe on (the contract's `eventId`). */
  readonly messageId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

type Data = Readonly<Record<string, unknown>>;
type Tx = Pick<PoolClient, 'query'>;

/**
 * The projections service's read side in PostgreSQL (schema `insights`). Each integration event is
 * received once: its inbox row (unique on the event id), the facts, plans and working-list rows it
 * makes, and its source's checkpoint commit in one transaction, so a redelivery changes nothing and
 * a crash in between leaves nothing half-applied. The inbox is the service's own record of what it
 * received: `rebuild` recomputes every derived table from it, in the order received.
 */
export class InsightsStore {
  constructor(private readonly pool: Pool) {}

  /** Applies one event; false when it was applied before (a redelivery). */
  async receive(event: ReceivedEvent, receivedAt: Date): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO insights.inbox (message_id, source, type, occurred_at, received_at, data) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (message_id) DO NOTHING RETURNING seq`,
        [event.messageId, event.source, event.type, event.occurredAt, receivedAt.toISOString(), JSON.stringify(event.data)],
      );
      if (inserted.rowCount === 0) {
        await client.query('COMMIT');
        return false;
      }
      await applyEvent(client, event.messageId, event.type, event.data);
      await client.query(
        `INSERT INTO insights.source_checkpoint (source, applied, last_occurred_at, last_received_at) VALUES ($1, 1, $2, $3)
         ON CONFLICT (source) DO UPDATE SET applied = insights.source_checkpoint.applied + 1, last_occurred_at = EXCLUDED.last_occurred_at, last_received_at = EXCLUDED.last_received_at`,
        [event.source, event.occurredAt, receivedAt.toISOString()],
      );
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Recomputes facts, plans and working lists from the inbox, in one transaction: readers keep
   * seeing the previous tables (MVCC) until it commits, then the rebuilt ones — never a half-built
   * read model. Returns how many events were replayed.
   */
  async rebuild(version = DERIVED_VERSION): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE insights.inbox IN SHARE MODE');
      await client.query('UPDATE insights.derived_version SET version = $1', [version]);
      await client.query('TRUNCATE insights.fact, insights.plan_version, insights.case_item, insights.referral_item, insights.employment_item');
      const { rows } = await client.query<{ message_id: string; type: string; data: Data }>('SELECT message_id, type, data FROM insights.inbox ORDER BY seq');
      for (const row of rows) await applyEvent(client, row.message_id, row.type, row.data);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Rebuilds the derived tables when another version of the mapping built them; true when it did. */
  async ensureDerivedVersion(version = DERIVED_VERSION): Promise<boolean> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM insights.derived_version');
    if (rows[0]?.version === version) return false;
    await this.rebuild(version);
    return true;
  }

  /** Every fact of a province with a date on or before `to` (what any period ending then needs). */
  async factsOf(provinceCode: string, to: string): Promise<Fact[]> {
    const { rows } = await this.pool.query<{
      kind: Fact['kind'];
      subject_id: string;
      province_code: string;
      commune_code: string | null;
      on_date: string;
      category: string;
      ref: string | null;
      amount: string;
      voided: boolean;
      ended_on: string | null;
    }>(
      `SELECT kind, subject_id, province_code, commune_code, to_char(on_date, 'YYYY-MM-DD') AS on_date, category, ref, amount::text AS amount, voided,
              to_char(ended_on, 'YYYY-MM-DD') AS ended_on
       FROM insights.fact WHERE province_code = $1 AND on_date <= $2 ORDER BY message_id, fact_no`,
      [provinceCode, to],
    );
    return rows.map((r) => ({
      kind: r.kind,
      subjectId: r.subject_id,
      provinceCode: r.province_code,
      communeCode: r.commune_code,
      onDate: r.on_date,
      category: r.category,
      ref: r.ref,
      amount: Number(r.amount),
      voided: r.voided,
      endedOn: r.ended_on,
    }));
  }

  async plans(provinceCode: string): Promise<PlanVersion[]> {
    const { rows } = await this.pool.query<{
      plan_id: string;
      version_no: number;
      number: string;
      parent_plan_id: string | null;
      period_from: string;
      period_to: string;
      effective_from: string;
      targets: PlanTargetData[];
    }>(
      `SELECT plan_id, version_no, number, parent_plan_id, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
              to_char(effective_from, 'YYYY-MM-DD') AS effective_from, targets
       FROM insights.plan_version WHERE province_code = $1 ORDER BY plan_id, version_no`,
      [provinceCode],
    );
    return rows.map((r) => ({
      planId: r.plan_id,
      versionNo: r.version_no,
      number: r.number,
      parentPlanId: r.parent_plan_id,
      periodFrom: r.period_from,
      periodTo: r.period_to,
      effectiveFrom: r.effective_from,
      targets: r.targets,
    }));
  }

  /** Everything derived, as rows, for comparing a rebuild with the live tables. */
  async snapshot(): Promise<Record<string, unknown[]>> {
    const tables = {
      fact: 'SELECT * FROM insights.fact ORDER BY message_id, fact_no',
      plan_version: 'SELECT * FROM insights.plan_version ORDER BY plan_id, version_no',
      case_item: 'SELECT * FROM insights.case_item ORDER BY case_id',
      referral_item: 'SELECT * FROM insights.referral_item ORDER BY referral_id',
      employment_item: 'SELECT * FROM insights.employment_item ORDER BY record_id',
    };
    const result: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(tables)) result[name] = (await this.pool.query(sql)).rows;
    return result;
  }
}

export interface PlanTargetData {
  readonly indicator: string;
  readonly kind: 'PERCENT' | 'COUNT';
  readonly comparison: 'AT_LEAST' | 'MORE_THAN';
  readonly value: number;
  readonly unitLevel: string;
  readonly span: string;
}

export interface PlanVersion {
  readonly planId: string;
  readonly versionNo: number;
  readonly number: string;
  readonly parentPlanId: string | null;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly effectiveFrom: string;
  readonly targets: readonly PlanTargetData[];
}

const s = (d: Data, key: string): string | null => (typeof d[key] === 'string' ? (d[key] as string) : null);

/** One event's effect on the derived tables, inside the caller's transaction (live and rebuild alike). */
async function applyEvent(tx: Tx, messageId: string, type: string, data: Data): Promise<void> {
  const caseId = s(data, 'caseId');
  let caseCommune: string | null = null;
  if (type === 'referrals.ReferralAccepted.v1' && caseId) {
    const found = await tx.query<{ commune_code: string }>('SELECT commune_code FROM insights.case_item WHERE case_id = $1', [caseId]);
    caseCommune = found.rows[0]?.commune_code ?? null;
  }
  const changes = factsOf(type, data, { caseCommune: () => caseCommune });
  if (changes.voidSubjects.length > 0) await tx.query('UPDATE insights.fact SET voided = true WHERE subject_id = ANY($1)', [changes.voidSubjects]);
  for (const end of changes.endSubjects) await tx.query('UPDATE insights.fact SET ended_on = $2 WHERE subject_id = $1', [end.subjectId, end.endedOn]);
  let factNo = 0;
  for (const state of changes.modelStates) {
    await tx.query(
      `INSERT INTO insights.fact (message_id, fact_no, kind, subject_id, province_code, commune_code, on_date, category, ref, amount)
       SELECT $1, $2, kind, subject_id, province_code, commune_code, $4, category, ref, $5 FROM insights.fact
       WHERE kind = 'SUPPORT_MODEL' AND subject_id = $3 ORDER BY on_date LIMIT 1`,
      [messageId, factNo++, state.subjectId, state.onDate, state.active ? 1 : 0],
    );
  }
  for (const f of changes.add) {
    await tx.query(
      `INSERT INTO insights.fact (message_id, fact_no, kind, subject_id, province_code, commune_code, on_date, category, ref, amount, voided, ended_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [messageId, factNo++, f.kind, f.subjectId, f.provinceCode, f.communeCode, f.onDate, f.category, f.ref, f.amount, f.voided, f.endedOn],
    );
  }
  await applyToPlansAndLists(tx, type, data, caseCommune);
}

async function applyToPlansAndLists(tx: Tx, type: string, data: Data, caseCommune: string | null): Promise<void> {
  switch (type) {
    case 'campaigns.PlanAdopted.v1':
      await tx.query(
        `INSERT INTO insights.plan_version (plan_id, version_no, province_code, number, parent_plan_id, period_from, period_to, effective_from, targets)
         VALUES ($1, 0, $2, $3, $4, $5, $6, $5, $7) ON CONFLICT DO NOTHING`,
        [data['planId'], data['provinceCode'], data['number'], data['parentPlanId'], data['periodFrom'], data['periodTo'], JSON.stringify(data['targets'])],
      );
      return;
    case 'campaigns.PlanAmended.v1':
      await tx.query(
        `INSERT INTO insights.plan_version (plan_id, version_no, province_code, number, parent_plan_id, period_from, period_to, effective_from, targets)
         SELECT plan_id, $2, province_code, $3, parent_plan_id, period_from, period_to, $4, $5 FROM insights.plan_version WHERE plan_id = $1 AND version_no = 0
         ON CONFLICT DO NOTHING`,
        [data['planId'], data['amendmentNo'], data['number'], data['effectiveFrom'], JSON.stringify(data['targets'])],
      );
      return;
    case 'cases.RehabStarted.v1':
      await tx.query(
        `INSERT INTO insights.case_item (case_id, province_code, commune_code, form, status, started_on, expected_end_on, recorded_by_agency)
         VALUES ($1, $2, $3, $4, 'IN_REHAB', $5, $6, $7)
         ON CONFLICT (case_id) DO UPDATE SET status = 'IN_REHAB', form = EXCLUDED.form, started_on = EXCLUDED.started_on,
           expected_end_on = EXCLUDED.expected_end_on, completed_on = NULL, recorded_by_agency = EXCLUDED.recorded_by_agency`,
        [
          data['caseId'],
          String(data['recordedByAgency']).slice(0, 2),
          data['communeCode'],
          data['form'],
          data['startedOn'],
          data['expectedEndOn'],
          data['recordedByAgency'],
        ],
      );
      return;
    case 'cases.RehabCompleted.v1':
      await tx.query(`UPDATE insights.case_item SET status = 'COMPLETED', completed_on = $2 WHERE case_id = $1`, [data['caseId'], data['completedOn']]);
      return;
    case 'referrals.ReferralAccepted.v1': {
      const from = String(data['fromAgency']);
      const commune = caseCommune ?? /^\d{2}-COMMUNE-(\d{5})$/.exec(from)?.[1] ?? null;
      await tx.query(
        `INSERT INTO insights.referral_item (referral_id, case_id, service_type, from_agency, to_agency, province_code, commune_code, accepted_on, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACCEPTED') ON CONFLICT DO NOTHING`,
        [data['referralId'], data['caseId'], data['serviceType'], from, data['toAgency'], String(data['toAgency']).slice(0, 2), commune, data['acceptedOn']],
      );
      return;
    }
    case 'employment.ReferralOutcomeReported.v1':
      await tx.query(`UPDATE insights.referral_item SET status = 'OUTCOME_REPORTED', outcome = $2 WHERE referral_id = $1`, [
        data['referralId'],
        data['outcome'],
      ]);
      await upsertEmployment(tx, data, 'COUNSELLED', String(data['reportedOn']));
      return;
    case 'employment.TrainingCompleted.v1':
      await upsertEmployment(tx, data, 'TRAINED', String(data['completedOn']));
      return;
    case 'employment.JobStarted.v1':
      await upsertEmployment(tx, data, 'PLACED', String(data['startOn']));
      await tx.query(`UPDATE insights.employment_item SET placement_id = $2, job_start_on = $3, follow_ups_done = '{}' WHERE record_id = $1`, [
        data['recordId'],
        data['placementId'],
        data['startOn'],
      ]);
      return;
    case 'employment.JobFollowUpRecorded.v1':
      await tx.query(
        `UPDATE insights.employment_item SET follow_ups_done = array_append(follow_ups_done, $2::integer) WHERE record_id = $1 AND NOT ($2::integer = ANY(follow_ups_done))`,
        [data['recordId'], data['month']],
      );
      return;
    case 'employment.RecordClosed.v1':
      await upsertEmployment(tx, data, 'CLOSED', String(data['closedOn']));
      return;
    default:
      return;
  }
}

async function upsertEmployment(tx: Tx, data: Data, stage: string, on: string): Promise<void> {
  await tx.query(
    `INSERT INTO insights.employment_item (record_id, province_code, commune_code, stage, stage_on) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (record_id) DO UPDATE SET stage = EXCLUDED.stage, stage_on = EXCLUDED.stage_on, commune_code = COALESCE(EXCLUDED.commune_code, insights.employment_item.commune_code)`,
    [data['recordId'], data['provinceCode'], data['communeCode'], stage, on],
  );
}
