/**
 * Small-number protection. A count from 1 to `threshold - 1` in a cell is shown only to the unit's
 * own agencies (primary suppression). So that suppressed cells cannot be worked out from the total
 * of their row (the province) minus the cells shown, a row where exactly one cell a reader cannot
 * see is suppressed gets a second one (complementary suppression: the smallest other count it may
 * not see), or, when no other cell can be hidden, the total is hidden too. Zero is shown: it names
 * no one. Pure, no I/O; `suppression.unit.spec.ts` states the guarantee as a fast-check property.
 */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

export interface SuppressionCell {
  readonly count: number;
  /** The reader belongs to the unit's own agencies: nothing is hidden from them here. */
  readonly own: boolean;
}

export interface SuppressionResult {
  /** Same order as the cells given. */
  readonly cells: readonly boolean[];
  readonly total: boolean;
}

export function isSmall(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** Which cells of one row (units of a level) and its total to hide from one reader. */
export function suppressRow(cells: readonly SuppressionCell[], total: SuppressionCell, threshold: number): SuppressionResult {
  const hidden = cells.map((c) => !c.own && isSmall(c.count, threshold));
  let totalHidden = !total.own && isSmall(total.count, threshold);
  if (!totalHidden && hidden.filter(Boolean).length === 1) {
    // The one hidden cell = total − the others: hide another the reader may not see, the smallest first.
    const candidates = cells
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !c.own && !hidden[i])
      .sort((a, b) => (a.c.count > 0 ? 0 : 1) - (b.c.count > 0 ? 0 : 1) || a.c.count - b.c.count || a.i - b.i);
    const second = candidates[0];
    if (second) hidden[second.i] = true;
    else totalHidden = true;
  }
  return { cells: hidden, total: totalHidden };
}
