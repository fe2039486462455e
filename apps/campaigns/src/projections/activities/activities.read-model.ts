import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { campaignsPolicy, type CampaignsAction } from '../../campaigns.policy';
import { activitiesProjection } from './activities.projection';

/** A row of `activity_row` as raw SQL returns it. */
export interface ActivityRecord {
  activity_id: string;
  commune_codes: string[];
  province_code: string;
  organiser: string;
  held_on: string;
  form: string;
  venue_type: string;
  audience_type: string;
  audience_count: number;
  campaign_month: string | null;
  plan_id: string | null;
  article_outlet: string | null;
  article_url: string | null;
  status: string;
  version: number;
}

/**
 * The WHERE clause that limits rows to the caller's scope for `action`: the units in the token
 * (provinces or communes), or the agency's province for a province-wide scope. A requested commune
 * outside the scope is refused (403) rather than answered with an empty list. Codes are compared
 * as stored; successor codes after a reorganisation are not resolved here (limit).
 */
export function scopeClause(principal: Principal, action: CampaignsAction, communeCode: string | undefined): { where: string[]; params: unknown[] } {
  if (communeCode !== undefined) campaignsPolicy.assertInScope(principal, action, { unitCodes: [communeCode] }, jurisdiction);
  const scope = campaignsPolicy.scopeFor(principal, action);
  const units = scope === 'any-in-province' ? [principal.agency.province] : [...principal.jurisdiction];
  const where = ['(commune_codes && $1::text[] OR province_code = ANY($1))'];
  const params: unknown[] = [units];
  if (communeCode !== undefined) where.push(`$${params.push(communeCode)} = ANY(commune_codes)`);
  return { where, params };
}

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryActivities<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, activitiesProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) {
      throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'The activity list is being built. Try again shortly.' }));
    }
    throw error;
  }
}
