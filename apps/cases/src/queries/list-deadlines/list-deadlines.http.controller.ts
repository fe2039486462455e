import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validationProblem, ProblemHttpException } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { queryRehabCases, scopeClause, type RehabCaseRecord } from '../../projections/rehab-cases/rehab-cases.read-model';
import { isIsoDate } from '@haidang/calendar';
import { READ_MODEL } from '../../tokens';
import { casesPolicy } from '../../cases.policy';
import { deadlinesFor, type CaseFacts, type DateFact, type NumberFact } from '../../deadlines/domain';
import {
  queryDrugUserManagements,
  type DrugUserManagementRecord,
  type NotAddictedCaseRecord,
} from '../../projections/drug-user-managements/drug-user-managements.read-model';
import { ListDeadlinesQueryDto } from './list-deadlines.request.dto';

/** The case facts the deadline rules read, from a read-model row (absent facts left out). */
export function factsOf(row: RehabCaseRecord): CaseFacts {
  const dates: Partial<Record<DateFact, string>> = {};
  const put = (fact: DateFact, value: string | null) => {
    if (value !== null) dates[fact] = value;
  };
  put('addictionConfirmedOn', row.addiction_confirmed_on);
  put('formDecidedOn', row.form_decided_on);
  put('rehabStartedOn', row.started_on);
  put('rehabCompletedOn', row.completed_on);
  put('rehabDiscontinuedOn', row.discontinued_on);
  put('postRehabStartedOn', row.post_rehab_started_on);
  put('closedOn', row.closed_on);
  const numbers: Partial<Record<NumberFact, number>> = {};
  if (row.term_months !== null) numbers.termMonths = row.term_months;
  if (row.post_rehab_term_months !== null) numbers.postRehabTermMonths = row.post_rehab_term_months;
  return { caseId: row.case_id, dates, numbers };
}

/** The facts of a management of an illegal drug user: its running term and its end. */
export function managementFactsOf(row: DrugUserManagementRecord): CaseFacts {
  const dates: Partial<Record<DateFact, string>> = { drugUserManagementTermStartedOn: row.term_started_on };
  if (row.ended_on !== null) dates.drugUserManagementEndedOn = row.ended_on;
  return { caseId: row.management_id, dates, numbers: { drugUserManagementTermMonths: row.term_months } };
}

/** The facts of a rehab case found "not addicted": the determination and what discharges the decision due. */
export function notAddictedFactsOf(row: NotAddictedCaseRecord): CaseFacts {
  const dates: Partial<Record<DateFact, string>> = { notAddictedDeterminedOn: row.not_addicted_on };
  if (row.management_decided_on !== null) dates.drugUserManagementDecidedOn = row.management_decided_on;
  if (row.closed_on !== null) dates.closedOn = row.closed_on;
  return { caseId: row.case_id, dates };
}

/** A listed deadline: of a rehab case, or (with `managementId`) of a management of an illegal drug user. */
interface ListedDeadline {
  readonly caseId: string | null;
  readonly managementId?: string;
  readonly communeCode: string | null;
  readonly rule: string;
  readonly description: string;
  readonly dueOn: string;
  readonly provisional: boolean;
}

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('api/v1/deadlines')
export class ListDeadlinesHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /**
   * Open deadlines of the cases in the caller's scope, soonest first: the form decision after a
   * positive addiction determination, the end of a rehab term, the end of post-rehab management,
   * and for those who may list them the management of illegal drug users (the decision due after a
   * "not addicted" determination, the end of the one-year term) —
   * from the read model's dates by `deadlinesFor` (the rules are data: deadline-rules.data.ts).
   */
  @Get()
  @Authorize('deadlines.read')
  @ApiOkResponse({
    description:
      '`{ items: [{ caseId, managementId?, communeCode, rule, description, dueOn, provisional }] }`, by due date; `managementId` on the end of a management of an illegal drug user (whose `caseId` is the rehab case it follows, or null); `provisional`: counted over a year without an official holiday decision',
  })
  async list(@Query(validated(ListDeadlinesQueryDto)) query: ListDeadlinesQueryDto, @CurrentPrincipal() principal: Principal) {
    if (query.dueBefore !== undefined && !isIsoDate(query.dueBefore)) {
      throw new ProblemHttpException(validationProblem([{ field: 'dueBefore', message: 'dueBefore must be a real date YYYY-MM-DD' }]));
    }
    const { where, params } = scopeClause(principal, 'deadlines.read', query.communeCode);
    // A closed case meets every deadline; one with no determination and no start has none yet.
    where.push('closed_on IS NULL', '(addiction_confirmed_on IS NOT NULL OR started_on IS NOT NULL)');
    const rows = await queryRehabCases<RehabCaseRecord>(this.readModel, `SELECT * FROM rehab_case_row WHERE ${where.join(' AND ')}`, params);
    const caseDeadlines: ListedDeadline[] = rows.flatMap((row) =>
      deadlinesFor(factsOf(row))
        .filter((d) => d.status === 'OPEN')
        .map((d) => ({
          caseId: d.caseId,
          communeCode: row.commune_code,
          rule: d.rule,
          description: d.description,
          dueOn: d.dueOn,
          provisional: d.provisional === true,
        })),
    );
    const items = [...caseDeadlines, ...(await this.managementDeadlines(principal, query.communeCode))]
      .filter((d) => query.dueBefore === undefined || d.dueOn < query.dueBefore)
      .sort((a, b) => compare(a.dueOn, b.dueOn) || compare(idOf(a), idOf(b)));
    return { items };
  }

  /**
   * The deadlines of the management of illegal drug users (the decision due after a "not addicted"
   * determination, the end of the one-year term), for those who may list managements and within
   * that scope: an agency that reads rehab cases but not managements (DOLISA, the facility) sees none.
   */
  private async managementDeadlines(principal: Principal, communeCode: string | undefined): Promise<ListedDeadline[]> {
    if (!casesPolicy.decide(principal, 'drug-user-managements.list').allowed) return [];
    const managements = scopeClause(principal, 'drug-user-managements.list', communeCode);
    managements.where.push('ended_on IS NULL');
    const running = await queryDrugUserManagements<DrugUserManagementRecord>(
      this.readModel,
      `SELECT * FROM drug_user_management_row WHERE ${managements.where.join(' AND ')}`,
      managements.params,
    );
    const awaiting = scopeClause(principal, 'drug-user-managements.list', communeCode);
    awaiting.where.push('not_addicted_on IS NOT NULL', 'closed_on IS NULL');
    const notAddicted = await queryDrugUserManagements<NotAddictedCaseRecord>(
      this.readModel,
      `SELECT * FROM drug_user_management_case WHERE ${awaiting.where.join(' AND ')}`,
      awaiting.params,
    );
    const open = (facts: CaseFacts) => deadlinesFor(facts).filter((d) => d.status === 'OPEN');
    return [
      ...running.flatMap((row) =>
        open(managementFactsOf(row)).map((d) => ({
          caseId: row.rehab_case_id,
          managementId: row.management_id,
          communeCode: row.commune_code,
          rule: d.rule,
          description: d.description,
          dueOn: d.dueOn,
          provisional: d.provisional === true,
        })),
      ),
      ...notAddicted.flatMap((row) =>
        open(notAddictedFactsOf(row)).map((d) => ({
          caseId: d.caseId,
          communeCode: row.commune_code,
          rule: d.rule,
          description: d.description,
          dueOn: d.dueOn,
          provisional: d.provisional === true,
        })),
      ),
    ];
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const idOf = (d: ListedDeadline): string => d.managementId ?? d.caseId ?? '';
