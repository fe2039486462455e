import { createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from '@haidang/event-store';

/**
 * A keyed hash of a plain request, so that the event store can recognise a retry under its
 * Idempotency-Key when the events themselves differ on every try (fields encrypted afresh, a date
 * decided that day). Keyed (HKDF from the personal-ID index key, an `info` per service) because the
 * request may hold personal or health text, and a plain hash of short text can be guessed.
 */
export class RequestFingerprint {
  private readonly key: Buffer;

  constructor(indexKey: Buffer, service: string) {
    this.key = Buffer.from(hkdfSync('sha256', indexKey, Buffer.alloc(0), `haidang:${service}:request-fingerprint:v1`, 32));
  }

  of(request: unknown): string {
    return createHmac('sha256', this.key).update(canonicalJson(request), 'utf8').digest('hex');
  }
}
