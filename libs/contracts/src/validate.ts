/**
 * The few checks every contract validator needs. Plain TypeScript on purpose: contracts are a
 * domain lib (no class-validator, no decorators), and a consumer in any service can run them.
 */

/** A validator's answer: the typed value, or every problem found (field paths, never values). */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] };

export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
  constructor(
    readonly contract: string,
    readonly errors: readonly string[],
  ) {
    // Only field paths and rule names: a rejected payload may hold data nobody should log.
    super(`${contract} violated: ${errors.join('; ')}`);
  }
}

/** The value, or ContractViolationError. */
export function assertValid<T>(contract: string, result: Validation<T>): T {
  if (!result.ok) throw new ContractViolationError(contract, result.errors);
  return result.value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AGENCY_CODE = /^\d{2}-[A-Z_]{2,40}(-[0-9A-Za-z]{1,20})?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export type FieldRule = (value: unknown) => string | undefined;

export const rules = {
  uuid: ((v) => (typeof v === 'string' && UUID.test(v) ? undefined : 'must be a UUID')) as FieldRule,
  digits:
    (length: number): FieldRule =>
    (v) =>
      typeof v === 'string' && new RegExp(`^\\d{${length}}$`).test(v) ? undefined : `must be ${length} digits`,
  boolean: ((v) => (typeof v === 'boolean' ? undefined : 'must be a boolean')) as FieldRule,
  version: ((v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'must be a non-negative integer')) as FieldRule,
  literal:
    (expected: string | number): FieldRule =>
    (v) =>
      v === expected ? undefined : `must be ${JSON.stringify(expected)}`,
  oneOf:
    (allowed: readonly string[]): FieldRule =>
    (v) =>
      typeof v === 'string' && allowed.includes(v) ? undefined : 'must be one of the listed values',
  localDate: ((v) => (isLocalDate(v) ? undefined : 'must be a date YYYY-MM-DD')) as FieldRule,
  instant: ((v) => (typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be an ISO-8601 instant')) as FieldRule,
  /** An agency code `<province>-<TYPE>[-<n>]` (DESIGN, public surface). */
  agencyCode: ((v) => (typeof v === 'string' && AGENCY_CODE.test(v) ? undefined : 'must be an agency code <province>-<TYPE>[-<n>]')) as FieldRule,
  nullable:
    (rule: FieldRule): FieldRule =>
    (v) =>
      v === null ? undefined : rule(v),
};

function isLocalDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = LOCAL_DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Checks a plain object against one rule per field. Fields the contract does not name are refused,
 * not dropped: a reply that carried, say, a name would break the promise that none travels here.
 */
export function validateShape<T>(value: unknown, shape: Readonly<Record<string, FieldRule>>): Validation<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, errors: ['(root): must be an object'] };
  const record = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const [field, rule] of Object.entries(shape)) {
    if (!Object.prototype.hasOwnProperty.call(record, field)) {
      errors.push(`${field}: is required`);
      continue;
    }
    const problem = rule(record[field]);
    if (problem) errors.push(`${field}: ${problem}`);
  }
  for (const field of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(shape, field)) errors.push(`${field}: is not part of the contract`);
  }
  return errors.length === 0 ? { ok: true, value: value as T } : { ok: false, errors };
}
