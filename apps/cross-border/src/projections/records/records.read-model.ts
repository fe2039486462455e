import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { crossBorderPolicy, type CrossBorderAction } from '../../cross-border.policy';
import { recordsProjection } from './records.projection';

/** A row of `cooperation_record_row` as raw SQL returns it. */
export interface CooperationRecordRecord {
  record_id: string;
  kind: string;
  province_code: string;
  crossing_code: string | null;
  occurred_on: string;
  period_from: string;
  period_to: string;
  status: string;
  title_vi: string;
  corrects: string | null;
  corrected_by: string | null;
  reply_due_on: string | null;
  reply_received_on: string | null;
  version: number;
}

/**
 * The province the caller may read for `action` (403 when a requested province is not theirs):
 * every reading agency sees its own province and nothing else.
 */
export function provinceInScope(principal: Principal, action: CrossBorderAction, provinceCode: string | undefined): string {
  const province = provinceCode ?? principal.agency.province;
  crossBorderPolicy.assertInScope(principal, action, { unitCodes: [province] }, jurisdiction);
  return province;
}

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryRecords<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, recordsProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) {
      throw new ProblemHttpException(
        problem({ status: 503, code: 'read-model-building', detail: 'The cooperation record list is being built. Try again shortly.' }),
      );
    }
    throw error;
  }
}
