import { createHash } from 'node:crypto';

/**
 * A UUID (version 8) derived from a name, so that whatever is made from the same source (an
 * integration event from a domain event, a draft from an integration event) gets the same id every
 * time it is made again: a redelivery lands on the same outbox row or the same stream.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(`haidang:referrals:v1:${parts.join(':')}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
