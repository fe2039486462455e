/**
 * A comparison key for Vietnamese names: people and officials write the same name with and
 * without diacritics, in any case, with stray spaces. Not for display.
 */
export function normalizeName(name: string): string {
  return (
    name
      // Lower case first: lower-casing can itself produce combining marks (İ → i + U+0307).
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      // đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
      .replace(/đ/g, 'd')
      .replace(/\s+/gu, ' ')
      .trim()
  );
}
