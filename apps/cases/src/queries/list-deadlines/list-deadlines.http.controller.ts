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
import { deadlinesFor, type CaseFacts, type DateFact, type NumberFact } from '../../deadlines/domain';
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

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('api/v1/deadlines')
export class ListDeadlinesHttpController {
  constructor(@Inject(READ_MODEL) private readonly readModel: DataSource) {}

  /**
   * Open deadlines of the cases in the caller's scope, soonest first: the form decision after a
   * positive addiction determination, the end of a rehab term, the end of post-rehab management —
   * from the read model's dates by `deadlinesFor` (the rules are data: deadline-rules.data.ts).
   */
  @Get()
  @Authorize('deadlines.read')
  @ApiOkResponse({
    description:
      '`{ items: [{ caseId, communeCode, rule, description, dueOn, provisional }] }`, by due date; `provisional`: counted over a year without an official holiday decision',
  })
  async list(@Query(validated(ListDeadlinesQueryDto)) query: ListDeadlinesQueryDto, @CurrentPrincipal() principal: Principal) {
    if (query.dueBefore !== undefined && !isIsoDate(query.dueBefore)) {
      throw new ProblemHttpException(validationProblem([{ field: 'dueBefore', message: 'dueBefore must be a real date YYYY-MM-DD' }]));
    }
    const { where, params } = scopeClause(principal, 'deadlines.read', query.communeCode);
    // A closed case meets every deadline; one with no determination and no start has none yet.
    where.push('closed_on IS NULL', '(addiction_confirmed_on IS NOT NULL OR started_on IS NOT NULL)');
    const rows = await queryRehabCases<RehabCaseRecord>(this.readModel, `SELECT * FROM rehab_case_row WHERE ${where.join(' AND ')}`, params);
    const items = rows
      .flatMap((row) => deadlinesFor(factsOf(row)).map((d) => ({ ...d, communeCode: row.commune_code })))
      .filter((d) => d.status === 'OPEN' && (query.dueBefore === undefined || d.dueOn < query.dueBefore))
      .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
      .map((d) => ({
        caseId: d.caseId,
        communeCode: d.communeCode,
        rule: d.rule,
        description: d.description,
        dueOn: d.dueOn,
        provisional: d.provisional === true,
      }));
    return { items };
  }
}
