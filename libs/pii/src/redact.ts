/** What a read shows for a personal field of a person whose key was destroyed. */
export const ERASED = '[erased]' as const;
export type Erased = typeof ERASED;

export function isErased(value: unknown): value is Erased {
  return value === ERASED;
}

/**
 * The record with the given fields replaced by `[erased]` (absent fields stay absent, so a
 * projection's row keeps its shape and its counts). For read models that stored revealed values:
 * apply it to their rows when they learn a person was erased.
 */
export function redact<T extends Record<string, unknown>, K extends keyof T & string>(
  record: T,
  fieldNames: readonly K[],
): Omit<T, K> & { [P in K]: T[P] | Erased } {
  const copy: Record<string, unknown> = { ...record };
  for (const field of fieldNames) {
    if (field in copy && copy[field] !== undefined && copy[field] !== null) copy[field] = ERASED;
  }
  return copy as Omit<T, K> & { [P in K]: T[P] | Erased };
}

/**
 * SQL to redact rows of a read-model table in place, e.g. on a `PersonalDataErased` event:
 * `UPDATE <table> SET name = '[erased]', phone = '[erased]' WHERE <key column> = $1`. Identifiers are
 * checked, not quoted from input: they come from code, never from a request.
 */
export function redactSql(table: string, keyColumn: string, columns: readonly string[]): string {
  const ident = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;
  for (const name of [table, keyColumn, ...columns]) {
    if (!ident.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  }
  if (columns.length === 0) throw new Error('redactSql needs at least one column');
  const sets = columns.map((c) => `${c} = CASE WHEN ${c} IS NULL THEN NULL ELSE '${ERASED}' END`).join(', ');
  return `UPDATE ${table} SET ${sets} WHERE ${keyColumn} = $1`;
}
