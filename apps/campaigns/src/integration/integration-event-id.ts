import { createHash } from 'node:crypto';

/**
 * The id of the integration event made from a domain event: a UUID (version 8) derived from both,
 * so that writing it again (a redelivered batch, a rebuild) lands on the same outbox row and the
 * same `Nats-Msg-Id`.
 */
export function integrationEventId(domainEventId: string, integrationType: string): string {
  const hex = createHash('sha256').update(`haidang:integration:v1:${integrationType}:${domainEventId}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
