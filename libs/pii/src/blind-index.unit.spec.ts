import { createHash, randomBytes } from 'node:crypto';
import { normalizePersonalId, PersonalIdIndex } from './blind-index';
import { InvalidPersonalDataInputError } from './errors';

describe('personal-ID blind index', () => {
  const key = randomBytes(32);
  const index = new PersonalIdIndex(key);

  it('is stable and ignores formatting', () => {
    const h = index.blindIndex('001234567890');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new PersonalIdIndex(Buffer.from(key)).blindIndex('0012 3456 7890')).toBe(h);
    expect(index.blindIndex('001-234-567-890')).toBe(h);
  });

  it('differs between IDs and between keys', () => {
    expect(index.blindIndex('001234567891')).not.toBe(index.blindIndex('001234567890'));
    expect(new PersonalIdIndex(randomBytes(32)).blindIndex('001234567890')).not.toBe(index.blindIndex('001234567890'));
  });

  it('is not a plain SHA-256 of the ID, which anyone could brute-force', () => {
    const h = index.blindIndex('001234567890');
    for (const input of ['001234567890', 'cccd:v1:001234567890']) {
      expect(h).not.toBe(createHash('sha256').update(input).digest('hex'));
    }
  });

  it('refuses anything that is not 12 digits, without echoing it', () => {
    for (const bad of ['12345', '0012345678901', 'abc', '']) {
      expect(() => normalizePersonalId(bad)).toThrow(InvalidPersonalDataInputError);
    }
    try {
      index.blindIndex('99999');
    } catch (error) {
      expect((error as Error).message).not.toContain('99999');
    }
    expect(() => new PersonalIdIndex(randomBytes(16))).toThrow();
  });
});
