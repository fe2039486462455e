import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562) derived from a namespace and parts, e.g. the acting agency and its
 * Idempotency-Key: a retry of a create lands on the same stream, and the store answers it from its
 * record. The namespace (`haidang:<service>:<aggregate>:v1`) keeps ids of different kinds apart.
 */
export function deterministicUuid(namespace: string, ...parts: readonly string[]): string {
  const hex = createHash('sha256')
    .update([namespace, ...parts].join(':'))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
