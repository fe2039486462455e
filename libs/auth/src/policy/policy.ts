import { AGENCY_TYPES, isAgencyTypeValidOn, ROLES, type AgencyType, type Principal, type Role } from '@haidang/request-context';
import { AccessDeniedError, type AccessDenial } from '../identity/errors';

/**
 * What a permitted principal may reach:
 * - `own-jurisdiction`: resources whose administrative unit their jurisdiction covers;
 * - `own-agency`: resources their own agency holds;
 * - `aggregates-only`: counts and sums within their jurisdiction, never person-level data;
 * - `any-in-province`: any resource in their agency's province.
 */
export const SCOPES = ['own-jurisdiction', 'own-agency', 'aggregates-only', 'any-in-province'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ActionRule {
  readonly agencyTypes: readonly AgencyType[];
  /** Any one of these roles suffices. */
  readonly roles: readonly Role[];
  /**
   * One scope for every agency type, or one per listed agency type (e.g. a commune sees its own
   * persons where the provincial People's Committee sees only aggregates of the same action).
   */
  readonly scope: Scope | Readonly<Partial<Record<AgencyType, Scope>>>;
}

export type PolicyRules = Readonly<Record<string, ActionRule>>;

/** Decides whether the administrative unit `unitCode` lies within `principalUnits` on date `at`. */
export interface JurisdictionResolver {
  covers(principalUnits: readonly string[], unitCode: string, at: Date): boolean;
}

/** What a handler knows about the resource it is about to act on. */
export interface ScopedResource {
  /** Units the resource belongs to (e.g. the person's home commune); any one covered suffices. */
  readonly unitCodes?: readonly string[];
  /** The agency that holds the resource. */
  readonly agencyCode?: string;
  /** When to judge the units (codes change with administrative reorganisations); default now. */
  readonly at?: Date;
}

export type Decision = { readonly allowed: true; readonly scope: Scope } | { readonly allowed: false; readonly reason: AccessDenial };

export interface PolicyOptions {
  /**
   * Where the service's records carry their own date and its deciders check the acting agency
   * against that date (campaigns: a 2022 activity is DOLISA's, the holder then), the request day
   * does not refuse a dissolved agency type; the deciders do. Default: the request day decides.
   */
  readonly agencyCheckedOnRecordDate?: boolean;
}

export interface Policy<A extends string = string> {
  readonly rules: Readonly<Record<A, ActionRule>>;
  readonly actions: readonly A[];
  readonly options: Readonly<PolicyOptions>;
  has(action: string): action is A;
  /**
   * Agency type and role check; the scope is for the handler (assertInScope). With `on` (the day
   * the request is handled, `YYYY-MM-DD`), an agency type that no longer exists that day is refused
   * (`agency-dissolved`, ADR 0010): DOLISA after 2025-02-28.
   */
  decide(principal: Principal, action: string, on?: string): Decision;
  /** The scope the principal gets for the action, when allowed at all. */
  scopeFor(principal: Principal, action: A): Scope | undefined;
  /** True when the handler must answer with aggregates only, no person-level data. */
  isAggregatesOnly(principal: Principal, action: A): boolean;
  /** Throws AccessDeniedError unless the principal may perform `action` on `resource`. */
  assertInScope(principal: Principal, action: A, resource: ScopedResource, jurisdiction: JurisdictionResolver): void;
}

const ACTION_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * A service's one declarative policy: action → who may do it and within what. Anything not in it
 * is refused. Checked when it is defined, so a typo in a role or agency type fails at boot.
 */
export function definePolicy<const R extends PolicyRules>(rules: R, options: PolicyOptions = {}): Policy<Extract<keyof R, string>> {
  type A = Extract<keyof R, string>;
  const frozen: Record<string, ActionRule> = {};
  for (const [action, rule] of Object.entries(rules)) {
    frozen[action] = validateRule(action, rule);
  }
  Object.freeze(frozen);
  const actions = Object.freeze(Object.keys(frozen)) as readonly A[];

  const frozenOptions = Object.freeze({ ...options });
  const decide = (principal: Principal, action: string, on?: string): Decision => {
    const rule = Object.hasOwn(frozen, action) ? frozen[action] : undefined;
    if (!rule) return { allowed: false, reason: 'unknown-action' };
    if (on !== undefined && frozenOptions.agencyCheckedOnRecordDate !== true && !isAgencyTypeValidOn(principal.agency.type, on)) {
      return { allowed: false, reason: 'agency-dissolved' };
    }
    if (!rule.agencyTypes.includes(principal.agency.type)) return { allowed: false, reason: 'agency-type' };
    if (!principal.roles.some((role) => rule.roles.includes(role))) return { allowed: false, reason: 'role' };
    return { allowed: true, scope: scopeOf(rule, principal.agency.type) };
  };

  const policy: Policy<A> = {
    rules: frozen as Readonly<Record<A, ActionRule>>,
    actions,
    options: frozenOptions,
    has: (action: string): action is A => Object.hasOwn(frozen, action),
    decide,
    scopeFor(principal, action) {
      const decision = decide(principal, action);
      return decision.allowed ? decision.scope : undefined;
    },
    isAggregatesOnly(principal, action) {
      const decision = decide(principal, action);
      // A refused principal gets nothing at all; saying "aggregates" would be a grant.
      if (!decision.allowed) throw new AccessDeniedError(decision.reason);
      return decision.scope === 'aggregates-only';
    },
    assertInScope(principal, action, resource, jurisdiction) {
      const decision = decide(principal, action);
      if (!decision.allowed) throw new AccessDeniedError(decision.reason);
      if (!inScope(principal, decision.scope, resource, jurisdiction)) throw new AccessDeniedError('out-of-scope');
    },
  };
  return Object.freeze(policy);
}

function inScope(principal: Principal, scope: Scope, resource: ScopedResource, jurisdiction: JurisdictionResolver): boolean {
  const at = resource.at ?? new Date();
  const units = resource.unitCodes ?? [];
  switch (scope) {
    case 'own-jurisdiction':
    case 'aggregates-only':
      // Unknown units mean unknown scope: refuse rather than guess.
      return units.some((unit) => jurisdiction.covers(principal.jurisdiction, unit, at));
    case 'own-agency':
      return resource.agencyCode !== undefined && resource.agencyCode === principal.agency.code;
    case 'any-in-province':
      if (units.length > 0) return units.some((unit) => jurisdiction.covers([principal.agency.province], unit, at));
      return resource.agencyCode !== undefined && resource.agencyCode.startsWith(`${principal.agency.province}-`);
  }
}

function scopeOf(rule: ActionRule, type: AgencyType): Scope {
  if (typeof rule.scope === 'string') return rule.scope;
  const scope = rule.scope[type];
  // validateRule makes sure every listed agency type has one.
  if (!scope) throw new Error(`No scope for agency type ${type}`);
  return scope;
}

function validateRule(action: string, rule: ActionRule): ActionRule {
  const fail = (why: string): never => {
    throw new Error(`Policy action "${action}": ${why}`);
  };
  if (!ACTION_NAME.test(action)) fail('name must be dotted lower-case words, e.g. "rehab-cases.start"');
  if (!Array.isArray(rule.agencyTypes) || rule.agencyTypes.length === 0) fail('agencyTypes must list at least one agency type');
  if (!Array.isArray(rule.roles) || rule.roles.length === 0) fail('roles must list at least one role');
  for (const type of rule.agencyTypes) if (!(AGENCY_TYPES as readonly string[]).includes(type)) fail(`unknown agency type ${String(type)}`);
  for (const role of rule.roles) if (!(ROLES as readonly string[]).includes(role)) fail(`unknown role ${String(role)}`);
  let scope: ActionRule['scope'];
  if (typeof rule.scope === 'string') {
    if (!(SCOPES as readonly string[]).includes(rule.scope)) fail(`unknown scope ${rule.scope}`);
    scope = rule.scope;
  } else {
    const map = rule.scope as Partial<Record<AgencyType, Scope>>;
    for (const [type, value] of Object.entries(map)) {
      if (!rule.agencyTypes.includes(type as AgencyType)) fail(`scope names agency type ${type}, which agencyTypes does not list`);
      if (!(SCOPES as readonly string[]).includes(value as string)) fail(`unknown scope ${String(value)} for ${type}`);
    }
    for (const type of rule.agencyTypes) if (!map[type]) fail(`no scope for agency type ${type}`);
    scope = Object.freeze({ ...map });
  }
  return Object.freeze({ agencyTypes: Object.freeze([...rule.agencyTypes]), roles: Object.freeze([...rule.roles]), scope });
}

/**
 * A stand-in JurisdictionResolver for tests: a principal's unit covers itself, and a two-digit
 * province covers the units `provinceOf` places in it. No dates, no old→new codes: services use
 * `@haidang/jurisdiction`.
 */
export function prefixJurisdiction(provinceOf: (unitCode: string) => string | undefined): JurisdictionResolver {
  return {
    covers(principalUnits, unitCode) {
      if (principalUnits.includes(unitCode)) return true;
      const province = unitCode.length === 2 ? unitCode : provinceOf(unitCode);
      return province !== undefined && principalUnits.includes(province);
    },
  };
}
