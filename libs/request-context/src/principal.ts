/** Agency types, from the agency code `<province code>-<TYPE>[-<n>]` (DESIGN, public surface). */
export const AGENCY_TYPES = [
  'PPC', // provincial People's Committee (UBND tỉnh)
  'DOLISA', // Department of Labour, Invalids and Social Affairs (Sở LĐ-TB&XH)
  'REHAB_FACILITY', // provincial drug rehabilitation facility
  'COMMUNE', // commune People's Committee (UBND xã) and its volunteer social-work team
  'POLICE', // provincial police (Công an tỉnh)
  'COMMUNE_POLICE', // commune police (Công an xã)
  'BORDER_GUARD', // border guard (Bộ đội Biên phòng)
  'EMPLOYMENT_CENTRE', // employment service centre
  'HEALTH', // health services: HIV, methadone (substitution treatment) clinics
  'SUPPORT_MODEL', // volunteer social-work teams, counselling points, after-care clubs
  'NGO', // non-state partners (need consent or a legal basis to receive personal data)
  'COURT', // regional People's Court (Tòa án nhân dân khu vực): decides compulsory rehab
  'HOME_AFFAIRS', // Department of Home Affairs (Sở Nội vụ): labour and employment since the 2025 reorganisation
  'EDUCATION', // Department of Education and Training (Sở GD&ĐT): vocational education since 2025
  'FOREIGN_AFFAIRS', // Department of Foreign Affairs (Sở Ngoại vụ): cross-border cooperation with Guangxi
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export const ROLES = ['caseworker', 'supervisor', 'auditor', 'analyst', 'data-protection', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Agency {
  /** e.g. `22-COMMUNE-06793`, `22-REHAB_FACILITY-1`, `20-BORDER_GUARD`. */
  readonly code: string;
  readonly type: AgencyType;
  /** Province code, e.g. `22` (Quảng Ninh), `20` (Lạng Sơn). */
  readonly province: string;
}

/** Who is asking: taken from a verified JWT (`sub`, `agency`, `roles`, `jurisdiction`). */
export interface Principal {
  readonly sub: string;
  readonly agency: Agency;
  readonly roles: readonly Role[];
  /** Administrative-unit codes the principal may act in: provinces (`22`) and/or communes (`06793`). */
  readonly jurisdiction: readonly string[];
}

const AGENCY_CODE = /^(\d{2})-([A-Z_]+)(?:-([0-9A-Za-z]+))?$/;

/** Parses an agency code; undefined when it is not `<province>-<TYPE>[-<n>]` with a known type. */
export function parseAgencyCode(code: string): Agency | undefined {
  const match = AGENCY_CODE.exec(code);
  if (!match) return undefined;
  const type = match[2] as AgencyType;
  if (!(AGENCY_TYPES as readonly string[]).includes(type)) return undefined;
  return { code, type, province: match[1] as string };
}
