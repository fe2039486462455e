import { parseAgencyCode, ROLES, type Principal, type Role } from '@haidang/request-context';

/** Administrative-unit codes are digits only: provinces (`22`), old districts, communes (`06793`). */
export const UNIT_CODE = /^\d{2,6}$/;
/** A subject is an opaque id; bounded and plain so that it is safe in event metadata and logs. */
const SUBJECT = /^[A-Za-z0-9._:@-]{1,128}$/;
const MAX_UNITS = 512;

export class InvalidClaimsError extends Error {
  override readonly name = 'InvalidClaimsError';
  /** `claim` names the claim, never its value. */
  constructor(readonly claim: 'sub' | 'agency' | 'roles' | 'jurisdiction') {
    super(`The token's "${claim}" claim is missing or invalid`);
  }
}

/**
 * Turns verified JWT claims into a Principal, refusing anything it does not understand: a token
 * naming an unknown role or agency type was made for another system (or forged against an old
 * one), and guessing what it meant would widen access.
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal {
  const { sub, agency: agencyCode, roles, jurisdiction } = claims;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) throw new InvalidClaimsError('sub');

  const agency = typeof agencyCode === 'string' ? parseAgencyCode(agencyCode) : undefined;
  if (!agency) throw new InvalidClaimsError('agency');

  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) throw new InvalidClaimsError('roles');

  if (
    !Array.isArray(jurisdiction) ||
    jurisdiction.length > MAX_UNITS ||
    !jurisdiction.every((unit): unit is string => typeof unit === 'string' && UNIT_CODE.test(unit))
  ) {
    throw new InvalidClaimsError('jurisdiction');
  }

  return Object.freeze({
    sub,
    agency: Object.freeze(agency),
    roles: Object.freeze([...new Set(roles as Role[])]),
    jurisdiction: Object.freeze([...new Set(jurisdiction as string[])]),
  });
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The claims a Principal is carried in (what the dev token tool signs). */
export function claimsFromPrincipal(principal: Principal): Record<string, unknown> {
  return { sub: principal.sub, agency: principal.agency.code, roles: [...principal.roles], jurisdiction: [...principal.jurisdiction] };
}
