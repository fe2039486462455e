import { createHmac } from 'node:crypto';
import { InvalidPersonalDataInputError } from './errors';

const PERSONAL_ID = /^\d{12}$/;

/** Digits only: `0012 3456 7890`, `001-234-567-890` and `001234567890` are the same citizen ID. */
export function normalizePersonalId(value: string): string {
  const digits = value.replace(/\D/g, '');
  // The message never repeats the input: it is a citizen ID, or close to one.
  if (!PERSONAL_ID.test(digits)) throw new InvalidPersonalDataInputError('A personal ID number (CCCD) has 12 digits');
  return digits;
}

/**
 * Keyed hash of the 12-digit personal ID (CCCD), for finding a person without storing the ID in
 * the clear. HMAC-SHA-256 with `PERSONAL_ID_INDEX_KEY`: a plain hash of a 12-digit number can be
 * reversed by trying all 10^12 of them in hours; without the key it cannot. The key is separate from
 * the KEKs and must stay the same across KEK rotation, or every stored index stops matching.
 */
export class PersonalIdIndex {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new InvalidPersonalDataInputError('The blind-index key must be at least 32 bytes');
  }

  /** Lower-case hex of HMAC-SHA-256(key, 'cccd:v1:' + digits). Throws unless 12 digits remain. */
  blindIndex(value: string): string {
    return createHmac('sha256', this.key)
      .update(`cccd:v1:${normalizePersonalId(value)}`, 'utf8')
      .digest('hex');
  }
}
