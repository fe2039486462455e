import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { projectionsPolicy, type ProjectionsAction } from '../../projections.policy';
import { exportsProjection } from './exports.projection';

/** A row of `analyst_export_row` as raw SQL returns it. */
export interface AnalystExportRecord {
  record_id: string;
  commune_code: string;
  province_code: string;
  status: string;
  registered_on: string;
  closed_on: string | null;
  outcome: string | null;
  version: number;
}

/**
 * The WHERE clause that limits rows to the caller's scope for `action`, with its parameters: the
 * units in the token (provinces or communes). A requested commune outside the scope is refused (403)
 * rather than answered with an empty list. Codes are compared as stored; successor codes after a
 * reorganisation are not resolved here (limit).
 */
export function scopeClause(principal: Principal, action: ProjectionsAction, communeCode: string | undefined): { where: string[]; params: unknown[] } {
  if (communeCode !== undefined) projectionsPolicy.assertInScope(principal, action, { unitCodes: [communeCode] }, jurisdiction);
  const scope = projectionsPolicy.scopeFor(principal, action);
  const units = scope === 'any-in-province' ? [principal.agency.province] : [...principal.jurisdiction];
  const where = ['(commune_code = ANY($1) OR province_code = ANY($1))'];
  const params: unknown[] = [units];
  if (communeCode !== undefined) where.push(`commune_code = $${params.push(communeCode)}`);
  return { where, params };
}

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryExports<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, exportsProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) {
      throw new ProblemHttpException(
        problem({ status: 503, code: 'read-model-building', detail: 'The analyst export list is being built. Try again shortly.' }),
      );
    }
    throw error;
  }
}
