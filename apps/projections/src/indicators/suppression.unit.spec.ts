import fc from 'fast-check';
import { isSmall, suppressRow } from './suppression';

const cell = fc.record({ count: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 200 })), own: fc.boolean() });

describe('small-number protection', () => {
  it('hides a count from 1 to 4 from a reader outside the unit, and shows it to the unit itself', () => {
    const { cells } = suppressRow(
      [
        { count: 3, own: false },
        { count: 3, own: true },
        { count: 40, own: false },
        { count: 50, own: false },
      ],
      { count: 96, own: false },
      5,
    );
    expect(cells).toEqual([true, false, true, false]);
  });

  it('hides a second cell when only one is hidden, the smallest non-zero count first', () => {
    expect(
      suppressRow(
        [
          { count: 2, own: false },
          { count: 9, own: false },
          { count: 7, own: false },
          { count: 0, own: false },
        ],
        { count: 18, own: false },
        5,
      ).cells,
    ).toEqual([true, false, true, false]);
  });

  it('hides the total when no other cell can be hidden', () => {
    expect(
      suppressRow(
        [
          { count: 2, own: false },
          { count: 9, own: true },
        ],
        { count: 11, own: false },
        5,
      ),
    ).toEqual({ cells: [true, false], total: true });
  });

  it('shows zero, and takes the threshold it is given', () => {
    expect(isSmall(0, 5)).toBe(false);
    expect(isSmall(4, 5)).toBe(true);
    expect(isSmall(5, 5)).toBe(false);
    expect(isSmall(9, 10)).toBe(true);
  });

  it('property: no small count is ever shown to an outsider, and no hidden cell can be worked out from the total', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.integer({ min: 2, max: 11 }), (cells, totalOwn, threshold) => {
        const total = { count: cells.reduce((sum, c) => sum + c.count, 0), own: totalOwn };
        const result = suppressRow(cells, total, threshold);
        // Primary: every small count an outsider would see is hidden.
        cells.forEach((c, i) => {
          if (!c.own && isSmall(c.count, threshold)) expect(result.cells[i]).toBe(true);
        });
        if (!total.own && isSmall(total.count, threshold)) expect(result.total).toBe(true);
        // Own cells are never hidden from their own unit.
        cells.forEach((c, i) => {
          if (c.own) expect(result.cells[i]).toBe(false);
        });
        // Not back-computable: with the total shown, the hidden cells are none or at least two, and
        // then their sum (known) is at least 1 and splits in more than one way between them.
        const hidden = cells.filter((_, i) => result.cells[i]);
        if (!result.total) {
          expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
          if (hidden.length >= 2) expect(hidden.reduce((sum, c) => sum + c.count, 0)).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
