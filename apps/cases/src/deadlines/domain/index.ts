export { deadlinesFor } from './deadlines';
export type { CaseFacts, Deadline } from './deadlines';
export { DEADLINE_RULES } from './deadline-rules.data';
export type { DeadlineRule, DateFact, NumberFact, Offset } from './deadline-rules.data';
