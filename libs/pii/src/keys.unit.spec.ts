import { randomBytes } from 'node:crypto';
import { PiiKeyConfigurationError, UnknownKeyEncryptionKeyError } from './errors';
import { generateKeyEncryptionKeyEntry, parseKeyEncryptionKeys } from './keys';

const b64 = (n = 32) => randomBytes(n).toString('base64');

describe('DATA_KEY_ENCRYPTION_KEY', () => {
  it('lists KEKs by id, the first one active', () => {
    const k2 = b64();
    const k1 = b64();
    const keks = parseKeyEncryptionKeys(`k2:${k2}, k1:${k1}`);
    expect(keks.active.id).toBe('k2');
    expect(keks.ids).toEqual(['k2', 'k1']);
    expect(keks.get('k1').toString('base64')).toBe(k1);
    expect(() => keks.get('k0')).toThrow(UnknownKeyEncryptionKeyError);
    expect(parseKeyEncryptionKeys(generateKeyEncryptionKeyEntry('k9')).active.id).toBe('k9');
  });

  it.each([
    ['empty', ''],
    ['no id', b64()],
    ['short key', `k1:${b64(16)}`],
    ['not base64', 'k1:not*base64'],
    ['duplicate id', `k1:${b64()},k1:${b64()}`],
    ['bad id', `k 1:${b64()}`],
  ])('refuses %s without echoing key material', (_case, value) => {
    try {
      parseKeyEncryptionKeys(value);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(PiiKeyConfigurationError);
      const secret = value.split(':')[1] ?? value;
      if (secret.length > 8) expect((error as Error).message).not.toContain(secret);
    }
  });
});
