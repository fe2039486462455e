import fc from 'fast-check';
import { findPossibleDuplicates, type ExistingPerson } from './duplicates';

const existing: ExistingPerson[] = [
  { id: 'p-1', fullName: 'Nguyen Van An', dateOfBirth: '1991-03-02' },
  { id: 'p-2', fullName: 'Nguyễn Văn Anh', dateOfBirth: '1990-01-01' },
  { id: 'p-3', fullName: 'Trần Thị Bình', dateOfBirth: '1985-07-07', personalId: '022185000001' },
];

describe('findPossibleDuplicates', () => {
  it('matches "Nguyễn Văn An 1990" with "Nguyen Van An 1991", not with "Nguyễn Văn Anh 1990"', () => {
    expect(findPossibleDuplicates({ fullName: 'Nguyễn Văn An', dateOfBirth: '1990-11-20' }, existing)).toEqual([
      { personId: 'p-1', reasons: ['same-name-close-birth-year'] },
    ]);
  });

  it('does not match the same name two birth years apart', () => {
    expect(findPossibleDuplicates({ fullName: 'Nguyễn Văn An', dateOfBirth: '1989-12-31' }, existing)).toEqual([]);
  });

  it('accepts a year-only date of birth', () => {
    expect(findPossibleDuplicates({ fullName: 'NGUYEN VAN AN', dateOfBirth: '1992' }, existing)).toEqual([
      { personId: 'p-1', reasons: ['same-name-close-birth-year'] },
    ]);
  });

  it('matches the same personal ID whatever the name', () => {
    expect(findPossibleDuplicates({ fullName: 'Someone Else', dateOfBirth: '2001-01-01', personalId: '022185000001' }, existing)).toEqual([
      { personId: 'p-3', reasons: ['same-personal-id'] },
    ]);
  });

  it('gives both reasons when both hold', () => {
    expect(findPossibleDuplicates({ fullName: 'tran thi binh', dateOfBirth: '1986-01-01', personalId: '022185000001' }, existing)).toEqual([
      { personId: 'p-3', reasons: ['same-personal-id', 'same-name-close-birth-year'] },
    ]);
  });

  it('never matches two persons who both have no personal ID on the ID alone', () => {
    expect(findPossibleDuplicates({ fullName: 'Hoàng Văn Cường', dateOfBirth: '1970-01-01' }, existing)).toEqual([]);
  });

  // Adding or removing diacritics (and changing case) must never change whether two names match.
  const plain = fc.array(fc.constantFrom(...'aeiouyd'.split(''), 'n', 'g', 'h', 't'), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
  const marks = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031B'];
  const decorate = (word: string, picks: number[]) =>
    [...word]
      .map((c, i) => {
        const pick = picks[i % picks.length] ?? 0;
        if (c === 'd' && pick % 2 === 0) return 'đ';
        if ('aeiouy'.includes(c) && pick < marks.length) return (pick % 3 === 0 ? c.toUpperCase() : c) + marks[pick];
        return c;
      })
      .join('')
      .normalize('NFC');

  it('is unchanged by adding or removing diacritics', () => {
    fc.assert(
      fc.property(
        fc.array(plain, { minLength: 1, maxLength: 4 }),
        fc.array(plain, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1950, max: 2010 }),
        fc.integer({ min: -2, max: 2 }),
        (a, b, picks, year, delta) => {
          const candidatePlain = { fullName: a.join(' '), dateOfBirth: `${year}` };
          const otherPlain: ExistingPerson = { id: 'x', fullName: b.join(' '), dateOfBirth: `${year + delta}` };
          const candidateMarked = { ...candidatePlain, fullName: a.map((w) => decorate(w, picks)).join(' ') };
          const otherMarked = { ...otherPlain, fullName: b.map((w) => decorate(w, [...picks].reverse())).join('  ') };
          const expected = findPossibleDuplicates(candidatePlain, [otherPlain]);
          expect(findPossibleDuplicates(candidateMarked, [otherPlain])).toEqual(expected);
          expect(findPossibleDuplicates(candidatePlain, [otherMarked])).toEqual(expected);
          expect(findPossibleDuplicates(candidateMarked, [otherMarked])).toEqual(expected);
        },
      ),
    );
  });

  it('matches a name with itself in its marked form when the years are within one', () => {
    fc.assert(
      fc.property(
        fc.array(plain, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1 }),
        fc.integer({ min: -1, max: 1 }),
        (a, picks, delta) => {
          const result = findPossibleDuplicates({ fullName: a.join(' '), dateOfBirth: '1990' }, [
            { id: 'x', fullName: a.map((w) => decorate(w, picks)).join(' '), dateOfBirth: `${1990 + delta}` },
          ]);
          expect(result).toEqual([{ personId: 'x', reasons: ['same-name-close-birth-year'] }]);
        },
      ),
    );
  });
});
