/** Registrations allowed per principal in each window (issue 10 §1), separate from the service-wide budget. */
export interface RegistrationBudget {
  readonly limit: number;
  readonly windowMs: number;
}

// 60 a minute: above the demo data's 36 persons from one commune officer, far below a lookup's needs.
export const DEFAULT_REGISTRATION_BUDGET: RegistrationBudget = { limit: 60, windowMs: 60_000 };

/**
 * From the environment: `RATE_LIMIT_PERSON_REGISTRATIONS` (per principal per window) and
 * `RATE_LIMIT_WINDOW_SECONDS` (the window the other budgets use too). Read when a request is
 * counted; a value that is not a positive integer falls back to the default rather than to no limit.
 */
export function personRegistrationBudget(env: Readonly<Record<string, string | undefined>> = process.env): RegistrationBudget {
  return {
    limit: positiveInteger(env['RATE_LIMIT_PERSON_REGISTRATIONS']) ?? DEFAULT_REGISTRATION_BUDGET.limit,
    windowMs: (positiveInteger(env['RATE_LIMIT_WINDOW_SECONDS']) ?? DEFAULT_REGISTRATION_BUDGET.windowMs / 1000) * 1000,
  };
}

function positiveInteger(value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && /^\d{1,9}$/.test(trimmed) && Number(trimmed) >= 1 ? Number(trimmed) : undefined;
}
