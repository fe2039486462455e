import fc from 'fast-check';
import { normalizeName } from './name';

describe('normalizeName', () => {
  it.each([
    ['Nguyễn Văn An', 'nguyen van an'],
    ['NGUYỄN   VĂN  AN ', 'nguyen van an'],
    ['Đặng Thị Đào', 'dang thi dao'],
    ['Trần  Quốc\tTuấn', 'tran quoc tuan'],
    ['Lê Thị Hương', 'le thi huong'],
  ])('%p → %p', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('treats precomposed (NFC) and decomposed (NFD) input alike', () => {
    const nfc = 'Nguyễn Thị Ánh'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    expect(normalizeName(nfd)).toBe(normalizeName(nfc));
  });

  it('keeps different names different', () => {
    expect(normalizeName('Nguyễn Văn Anh')).not.toBe(normalizeName('Nguyễn Văn An'));
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const once = normalizeName(s);
        expect(normalizeName(once)).toBe(once);
      }),
    );
  });
});
