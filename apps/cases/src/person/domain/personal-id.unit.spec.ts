import fc from 'fast-check';
import { validatePersonalId } from './personal-id';
import { BIRTH_REGISTRATION_PROVINCE_CODES } from './province-codes.data';

// Synthetic IDs: Quảng Ninh (022), then century/sex, birth year, six made-up digits.
describe('validatePersonalId', () => {
  it('accepts an ID consistent with date of birth and sex', () => {
    expect(validatePersonalId('022090123456', { dateOfBirth: '1990-05-17', sex: 'MALE' })).toEqual({ ok: true });
    expect(validatePersonalId('022305000001', { dateOfBirth: '2005-01-01', sex: 'FEMALE' })).toEqual({ ok: true });
    expect(validatePersonalId('001199000001', { dateOfBirth: '1999-12-31', sex: 'FEMALE' })).toEqual({ ok: true });
  });

  it.each(['02209012345', '0220901234567', '02209012345a', ' 22090123456', ''])('rejects %p: not 12 digits', (id) => {
    expect(validatePersonalId(id, { dateOfBirth: '1990-05-17', sex: 'MALE' })).toEqual({
      ok: false,
      errors: [{ field: 'personalId', code: 'format', message: 'personalId must be exactly 12 digits' }],
    });
  });

  it.each(['000', '003', '097', '099', '100'])('rejects unknown province code %s', (code) => {
    const result = validatePersonalId(`${code}090123456`, { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'personalId', code: 'province' }] });
  });

  it('names the part that disagrees with sex', () => {
    const result = validatePersonalId('022190123456', { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'personalId', code: 'sex', message: 'personalId: the 4th digit (century and sex) disagrees with sex' }],
    });
  });

  it('names the part that disagrees with the century of the date of birth', () => {
    const result = validatePersonalId('022290123456', { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'personalId', code: 'century', message: expect.stringContaining('dateOfBirth') }] });
  });

  it('names the part that disagrees with the birth year', () => {
    const result = validatePersonalId('022091123456', { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'personalId', code: 'birth-year', message: expect.stringContaining('dateOfBirth') }] });
  });

  it('reports every mismatch at once', () => {
    const result = validatePersonalId('003391123456', { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['province', 'sex', 'century', 'birth-year']);
  });

  it('does not echo the ID in messages (they may be logged or shown)', () => {
    const id = '003391123456';
    const result = validatePersonalId(id, { dateOfBirth: '1990-05-17', sex: 'MALE' });
    expect(JSON.stringify(result)).not.toContain(id);
    expect(JSON.stringify(result)).not.toContain('123456');
  });

  it('rejects a malformed date of birth on its own field', () => {
    expect(validatePersonalId('022090123456', { dateOfBirth: '17/05/1990', sex: 'MALE' })).toMatchObject({
      ok: false,
      errors: [{ field: 'dateOfBirth', code: 'format' }],
    });
  });

  it('accepts every ID built from a known province, the right century/sex digit and the year', () => {
    const codes = Object.keys(BIRTH_REGISTRATION_PROVINCE_CODES);
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.integer({ min: 1900, max: 2099 }),
        fc.constantFrom('MALE' as const, 'FEMALE' as const),
        fc.stringMatching(/^\d{6}$/),
        (code, year, sex, tail) => {
          const digit = (year >= 2000 ? 2 : 0) + (sex === 'FEMALE' ? 1 : 0);
          const id = `${code}${digit}${String(year).slice(2)}${tail}`;
          expect(validatePersonalId(id, { dateOfBirth: `${year}-06-15`, sex })).toEqual({ ok: true });
        },
      ),
    );
  });
});
