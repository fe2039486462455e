import type { DataSource } from 'typeorm';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction, PROVINCE_CODE_PATTERN } from '@haidang/jurisdiction';
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
  const params: unknown[] = [];
  const where = [unitsCondition(units, params)];
  if (communeCode !== undefined) where.push(`commune_code = $${params.push(communeCode)}`);
  return { where, params };
}

/**
 * "The row's commune or province is one of `units`", one-sided where it can be so that one index
 * serves it (issue 17 §6): a province-scoped caller's units are province codes (2 digits), which no
 * commune code (5 digits) equals, and a commune-scoped caller's are commune codes, which no province
 * code equals; only a mix of both needs the OR. Pushes its parameters onto `params`.
 */
export function unitsCondition(units: readonly string[], params: unknown[]): string {
  const provinces = units.filter((u) => PROVINCE_CODE_PATTERN.test(u));
  const communes = units.filter((u) => !PROVINCE_CODE_PATTERN.test(u));
  if (provinces.length === 0) return oneOf('commune_code', communes, params);
  if (communes.length === 0) return oneOf('province_code', provinces, params);
  return `(${oneOf('commune_code', communes, params)} OR ${oneOf('province_code', provinces, params)})`;
}

/**
 * `column = $n` for one code (the usual scope), else `column = ANY($n)`: PostgreSQL 15 cannot read
 * a btree in order under `= ANY(...)`, so even a one-code array would sort every matching row.
 */
function oneOf(column: string, codes: readonly string[], params: unknown[]): string {
  const [only] = codes;
  return codes.length === 1 && only !== undefined ? `${column} = $${params.push(only)}` : `${column} = ANY($${params.push(codes)})`;
}

/**
 * One page of a scoped list in one statement: the page read by an index in `orderBy` order, and its
 * total as a scalar subquery (run once, an index-only count) rather than a window count, which made
 * PostgreSQL read and sort every matching row (issue 17 §6). Past the last page no row carries the
 * total, so it is then asked for on its own. `table` and `orderBy` are trusted SQL of the caller's.
 */
export async function readScopedPage<TRow>(
  run: <T>(sql: string, params: unknown[]) => Promise<T[]>,
  spec: { table: string; where: readonly string[]; params: unknown[]; orderBy: string; page: number; pageSize: number },
): Promise<{ rows: TRow[]; total: number }> {
  const where = spec.where.join(' AND ');
  const count = `SELECT count(*) FROM ${spec.table} WHERE ${where}`;
  const rows = await run<TRow & { page_total: string }>(
    `SELECT *, (${count}) AS page_total FROM ${spec.table} WHERE ${where}
     ORDER BY ${spec.orderBy} LIMIT ${spec.pageSize} OFFSET ${(spec.page - 1) * spec.pageSize}`,
    spec.params,
  );
  const first = rows[0];
  const total =
    first !== undefined ? Number(first.page_total) : spec.page === 1 ? 0 : Number((await run<{ count: string }>(count, spec.params))[0]?.count ?? 0);
  return { rows, total };
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
