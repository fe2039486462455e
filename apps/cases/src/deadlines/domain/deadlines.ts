import { addMonths, createWorkingDayCalendar, type IsoDate, type WorkingDayCalendar } from '@haidang/calendar';
import { DEADLINE_RULES, type DateFact, type DeadlineRule, type NumberFact } from './deadline-rules.data';

export interface CaseFacts {
  readonly caseId: string;
  readonly dates: Partial<Record<DateFact, IsoDate>>;
  readonly numbers?: Partial<Record<NumberFact, number>>;
}

export interface Deadline {
  readonly caseId: string;
  readonly rule: string;
  readonly description: string;
  readonly dueOn: IsoDate;
  readonly status: 'OPEN' | 'MET';
  /** The fact that discharged it, when MET. */
  readonly metOn?: IsoDate;
  /**
   * Present (true) when the due date was counted on the working-day calendar over a year without
   * an official holiday decision (libs/calendar's rule-based fallback): a later decision may move it.
   */
  readonly provisional?: true;
}

const defaultCalendar = createWorkingDayCalendar();

/**
 * Every deadline whose `from` fact is known, in rule order. A rule whose term is not yet known
 * (no `termMonths`) yields nothing rather than a guess.
 */
export function deadlinesFor(facts: CaseFacts, rules: readonly DeadlineRule[] = DEADLINE_RULES, calendar: WorkingDayCalendar = defaultCalendar): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const rule of rules) {
    const start = facts.dates[rule.from];
    if (start === undefined) continue;
    if (
      (rule.unlessBefore ?? []).some((fact) => {
        const date = facts.dates[fact];
        return date !== undefined && date <= start;
      })
    )
      continue;
    const due = dueDateWithin(start, rule, facts, calendar);
    if (due === undefined) continue;
    const countedOnCalendar = rule.offset.unit === 'WORKING_DAYS' || rule.rollToWorkingDay === true;
    const provisional = countedOnCalendar && calendar.isProvisionalBetween(start, due);
    const metOn = rule.metBy
      .map((fact) => facts.dates[fact])
      .filter((d): d is IsoDate => d !== undefined && d >= start)
      .sort()[0];
    deadlines.push({
      caseId: facts.caseId,
      rule: rule.name,
      description: rule.description,
      dueOn: due,
      ...(metOn === undefined ? { status: 'OPEN' as const } : { status: 'MET' as const, metOn }),
      ...(provisional ? { provisional: true as const } : {}),
    });
  }
  return deadlines;
}

/**
 * The due date, or none when the calendar has no data for the years it needs (2015–2040): a fact
 * recorded from older paper files must not take the list down, and a due date in those years
 * could only be a guess.
 */
function dueDateWithin(start: IsoDate, rule: DeadlineRule, facts: CaseFacts, calendar: WorkingDayCalendar): IsoDate | undefined {
  try {
    return dueDate(start, rule, facts, calendar);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function dueDate(start: IsoDate, rule: DeadlineRule, facts: CaseFacts, calendar: WorkingDayCalendar): IsoDate | undefined {
  const { offset } = rule;
  let due: IsoDate;
  if (offset.unit === 'WORKING_DAYS') {
    due = calendar.addWorkingDays(start, offset.amount);
  } else {
    const months = 'amountFrom' in offset ? facts.numbers?.[offset.amountFrom] : offset.amount;
    if (months === undefined) return undefined;
    due = addMonths(start, months);
  }
  if (rule.rollToWorkingDay && !calendar.isWorkingDay(due)) due = calendar.addWorkingDays(due, 1);
  return due;
}
