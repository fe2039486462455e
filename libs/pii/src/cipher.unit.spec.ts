import { decryptField, encryptField, ENCRYPTED_PREFIX, generateDataKey, isEncryptedValue, unwrapDataKey, wrapDataKey } from './cipher';

const key = generateDataKey();

describe('field encryption', () => {
  it('round-trips JSON values and uses a fresh IV each time', () => {
    const a = encryptField(key, 'Person-1', 'fullName', 'Nguyễn Văn An');
    const b = encryptField(key, 'Person-1', 'fullName', 'Nguyễn Văn An');
    expect(a.startsWith(ENCRYPTED_PREFIX)).toBe(true);
    expect(isEncryptedValue(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(decryptField(key, 'Person-1', 'fullName', a)).toBe('Nguyễn Văn An');
    const refs = ['photos/1.jpg', 'photos/2.jpg'];
    expect(decryptField(key, 'Person-1', 'photoRefs', encryptField(key, 'Person-1', 'photoRefs', refs))).toEqual(refs);
  });

  it('fails when the ciphertext is moved to another person or field (AAD)', () => {
    const value = encryptField(key, 'Person-1', 'phone', '0912345678');
    expect(() => decryptField(key, 'Person-2', 'phone', value)).toThrow();
    expect(() => decryptField(key, 'Person-1', 'fullName', value)).toThrow();
  });

  it('fails when any byte of the ciphertext is changed', () => {
    const value = encryptField(key, 'Person-1', 'phone', '0912345678');
    const raw = Buffer.from(value.slice(ENCRYPTED_PREFIX.length), 'base64url');
    for (const index of [0, 12, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      expect(() => decryptField(key, 'Person-1', 'phone', ENCRYPTED_PREFIX + tampered.toString('base64url'))).toThrow();
    }
  });

  it('fails under another data key', () => {
    const value = encryptField(key, 'Person-1', 'phone', '0912345678');
    expect(() => decryptField(generateDataKey(), 'Person-1', 'phone', value)).toThrow();
  });

  it('tells encrypted values from plain ones', () => {
    expect(isEncryptedValue('Nguyễn Văn An')).toBe(false);
    expect(isEncryptedValue('pii:v1:')).toBe(false);
    expect(isEncryptedValue(42)).toBe(false);
  });
});

describe('data-key wrapping', () => {
  const kek = generateDataKey();
  it('unwraps only with the same KEK, KEK id and subject', () => {
    const wrapped = wrapDataKey(kek, 'k1', 'Person-1', key);
    expect(unwrapDataKey(kek, 'k1', 'Person-1', wrapped).equals(key)).toBe(true);
    expect(() => unwrapDataKey(kek, 'k1', 'Person-2', wrapped)).toThrow();
    expect(() => unwrapDataKey(kek, 'k2', 'Person-1', wrapped)).toThrow();
    expect(() => unwrapDataKey(generateDataKey(), 'k1', 'Person-1', wrapped)).toThrow();
  });
});
