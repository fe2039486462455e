import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { casesPolicy, type CasesAction } from '../../cases.policy';
import { rehabCasesProjection } from './rehab-cases.projection';

/** A row of `rehab_case_row` as raw SQL returns it. */
export interface RehabCaseRecord {
  case_id: string;
  person_id: string;
  commune_code: string | null;
  status: string;
  form: string | null;
  regime: string | null;
  registered_on: string;
  addiction_confirmed_on: string | null;
  form_decided_on: string | null;
  started_on: string | null;
  expected_end_on: string | null;
  completed_on: string | null;
  discontinued_on: string | null;
  post_rehab_started_on: string | null;
  post_rehab_ends_on: string | null;
  closed_on: string | null;
  term_months: number | null;
  post_rehab_term_months: number | null;
  version: number;
}

/**
 * The WHERE clause that limits rows to the caller's scope for `action`, with its first parameter:
 * own-jurisdiction is the units in the token, any-in-province the agency's province. A requested
 * commune outside the scope is refused (403) rather than answered with an empty list. Codes are
 * compared as stored; successor codes after a reorganisation are not resolved here (limit).
 */
export function scopeClause(principal: Principal, action: CasesAction, communeCode: string | undefined): { where: string[]; params: unknown[] } {
  if (communeCode !== undefined) casesPolicy.assertInScope(principal, action, { unitCodes: [communeCode] }, jurisdiction);
  const scope = casesPolicy.scopeFor(principal, action);
  const units = scope === 'any-in-province' ? [principal.agency.province] : [...principal.jurisdiction];
  const where = ['(commune_code = ANY($1) OR province_code = ANY($1))'];
  const params: unknown[] = [units];
  if (communeCode !== undefined) where.push(`commune_code = $${params.push(communeCode)}`);
  return { where, params };
}

/** Runs a query on the active version of the read model; 503 while it is first being built. */
export async function queryRehabCases<T>(readModel: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  try {
    return await withReadModel(readModel, rehabCasesProjection.name, (em) => em.query(sql, params) as Promise<T[]>);
  } catch (error) {
    // A column the route needs exists only in the version being built beside the active one (after
    // a deploy that bumped the projection): the same answer as a first build, until the switch.
    if (error instanceof ProjectionNotActiveError || pgErrorCode(error) === UNDEFINED_COLUMN) {
      throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'The rehab-case list is being built. Try again shortly.' }));
    }
    throw error;
  }
}

const UNDEFINED_COLUMN = '42703';

/** The SQLSTATE of a PostgreSQL error, also when TypeORM wrapped it (QueryFailedError.driverError). */
function pgErrorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | null)?.code;
  if (typeof direct === 'string') return direct;
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof driver === 'string' ? driver : undefined;
}
