import { ERASED, isErased, redact, redactSql } from './redact';

describe('redaction', () => {
  it('replaces present personal fields and keeps the rest', () => {
    const row = { personId: 'p1', fullName: 'Trần Thị Bình', phone: null, visits: 3 };
    expect(redact(row, ['fullName', 'phone'])).toEqual({ personId: 'p1', fullName: ERASED, phone: null, visits: 3 });
    expect(isErased(ERASED)).toBe(true);
    expect(isErased('Trần Thị Bình')).toBe(false);
  });

  it('builds an UPDATE for plain identifiers only', () => {
    expect(redactSql('person_row', 'person_id', ['full_name'])).toBe(
      "UPDATE person_row SET full_name = CASE WHEN full_name IS NULL THEN NULL ELSE '[erased]' END WHERE person_id = $1",
    );
    expect(() => redactSql('person_row; DROP TABLE x', 'person_id', ['full_name'])).toThrow();
    expect(() => redactSql('person_row', 'person_id', [])).toThrow();
  });
});
