import { COMMUNE_CODE_PATTERN, provinceOf } from '@haidang/jurisdiction';
import { parseAgencyCode, ROLES, type Agency, type AgencyType, type Principal, type Role } from '@haidang/request-context';

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

  const home = homeUnitOf(agency);
  if (home === undefined) throw new InvalidClaimsError('agency');

  // Absent: the agency's own unit. Present: it must name that unit and nothing else.
  let units: readonly string[] = [home];
  if (jurisdiction !== undefined) {
    if (
      !Array.isArray(jurisdiction) ||
      jurisdiction.length > MAX_UNITS ||
      !jurisdiction.every((unit): unit is string => typeof unit === 'string' && UNIT_CODE.test(unit))
    ) {
      throw new InvalidClaimsError('jurisdiction');
    }
    units = [...new Set(jurisdiction as string[])];
    if (units.length !== 1 || units[0] !== home) throw new InvalidClaimsError('jurisdiction');
  }

  return Object.freeze({
    sub,
    agency: Object.freeze(agency),
    roles: Object.freeze([...new Set(roles as Role[])]),
    jurisdiction: Object.freeze([...units]),
  });
}

/** Agency types that act for one commune; their code ends with it (`22-COMMUNE-06793`). */
const COMMUNE_AGENCY_TYPES: ReadonlySet<AgencyType> = new Set(['COMMUNE', 'COMMUNE_POLICE']);

/**
 * The one unit an agency acts in, from its code (issue 10 §9): a commune agency its commune, which
 * must lie in the province its code starts with; every other agency its province. Undefined when
 * the code is self-contradictory (`22-COMMUNE-05977`, 05977 being in Lạng Sơn) or names no commune.
 *
 * A token signed with the real key may still claim a wider or another unit than its agency holds
 * (a misconfigured identity provider, a stolen signing key used carelessly): the claim is checked
 * against the agency rather than trusted, and a mismatch is a bad token (401), never a guess.
 */
export function homeUnitOf(agency: Agency): string | undefined {
  if (!COMMUNE_AGENCY_TYPES.has(agency.type)) return agency.province;
  const commune = agency.code.slice(`${agency.province}-${agency.type}-`.length);
  if (!COMMUNE_CODE_PATTERN.test(commune)) return undefined;
  // A code the shipped data does not know covers nothing anyway (deny by default); one it knows
  // must be in the agency's province.
  const province = provinceOf(commune);
  if (province !== undefined && province !== agency.province) return undefined;
  return commune;
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The claims a Principal is carried in (what the dev token tool signs). */
export function claimsFromPrincipal(principal: Principal): Record<string, unknown> {
  return { sub: principal.sub, agency: principal.agency.code, roles: [...principal.roles], jurisdiction: [...principal.jurisdiction] };
}
