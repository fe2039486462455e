import { createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from '@haidang/event-store';

/** Where a fingerprint of a person's request gets its key: a key derived from that person's data key (libs/pii). */
export interface SubjectKeySource {
  /** Undefined once the person's key was shredded (erased). */
  derivedSubjectKey(subjectId: string, purpose: string): Promise<Buffer | undefined>;
}

/**
 * A keyed hash of a plain request, so that the event store can recognise a retry under its
 * Idempotency-Key when the events themselves differ on every try (fields encrypted afresh, a date
 * decided that day). Keyed (HKDF from the personal-ID index key, an `info` per service) because the
 * request may hold personal or health text, and a plain hash of short text can be guessed.
 *
 * A request about a person (`forSubject`) is keyed instead with a key derived from that person's
 * data key (issue 10): the fingerprint stays in `es_idempotency_keys` for good, and once the
 * person is erased nobody, not even the holder of the service's keys, can test a guess of the
 * request (a citizen ID and a name) against it. A retry about the same person derives the same key.
 */
export class RequestFingerprint {
  private readonly key: Buffer;
  private readonly purpose: string;

  constructor(indexKey: Buffer, service: string) {
    this.key = Buffer.from(hkdfSync('sha256', indexKey, Buffer.alloc(0), `haidang:${service}:request-fingerprint:v1`, 32));
    this.purpose = `${service.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:request-fingerprint:v1`;
  }

  /** Keyed with the service's key: for requests with no person as their subject. */
  of(request: unknown): string {
    return createHmac('sha256', this.key).update(canonicalJson(request), 'utf8').digest('hex');
  }

  /**
   * Keyed with the person's derived key when there is a person (`subjectId`); the service's key when
   * there is none, or when the person was erased already (nothing of theirs can be keyed then, and
   * a retry after erasure is refused by the person's own state anyway).
   */
  async forSubject(subjectId: string | null, keys: SubjectKeySource, request: unknown): Promise<string> {
    if (subjectId === null) return this.of(request);
    const key = await keys.derivedSubjectKey(subjectId, this.purpose);
    if (key === undefined) return this.of(request);
    try {
      return `s1:${createHmac('sha256', key).update(canonicalJson(request), 'utf8').digest('hex')}`;
    } finally {
      key.fill(0);
    }
  }
}
