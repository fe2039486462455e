import { deterministicUuid } from '@haidang/service-kit';

/**
 * A UUID derived from a name, so that whatever is made from the same source (an integration event
 * from a domain event, a draft from an integration event) gets the same id every time it is made
 * again: a redelivery lands on the same outbox row or the same stream.
 */
export function derivedId(...parts: string[]): string {
  return deterministicUuid('haidang:referrals:v1', ...parts);
}
