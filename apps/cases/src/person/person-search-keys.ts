import { createHmac, hkdfSync } from 'node:crypto';
import { normalizeName } from './domain';

/**
 * Keyed hash of a normalized name: lets search and duplicate detection match "Nguyễn Văn An" and
 * "nguyen van an" without keeping the name in the clear in events or read models. The key is
 * derived (HKDF) from the personal-ID index key, so there is no new secret to deploy; the `info`
 * keeps the two hashes apart. Limit: a keyed hash outlives crypto-shredding (it is in the event),
 * but without the key it cannot be reversed, and a name is only matched, never recovered.
 */
export class NameIndex {
  private readonly key: Buffer;

  constructor(indexKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', indexKey, Buffer.alloc(0), 'haidang:cases:name-index:v1', 32));
  }

  /** Undefined when nothing is left after normalization. */
  of(fullName: string): string | undefined {
    const normalized = normalizeName(fullName);
    if (normalized === '') return undefined;
    return createHmac('sha256', this.key).update(`name:v1:${normalized}`, 'utf8').digest('hex');
  }
}
