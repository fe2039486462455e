import { AGENCY_TYPES, ROLES, parseAgencyCode, type AgencyType, type Principal, type Role } from '@haidang/request-context';
import type { ActionRule, Policy } from '../policy/policy';

export interface RepresentativePrincipalsOptions {
  readonly province?: string;
  /** The commune a COMMUNE principal belongs to. */
  readonly commune?: string;
  readonly agencyTypes?: readonly AgencyType[];
  readonly roles?: readonly Role[];
}

/** One principal per agency type × role, in one province (commune principals in one commune). */
export function representativePrincipals(options: RepresentativePrincipalsOptions = {}): Principal[] {
  const { province = '22', commune = '06793', agencyTypes = AGENCY_TYPES, roles = ROLES } = options;
  return agencyTypes.flatMap((type) =>
    roles.map((role): Principal => {
      const code = type === 'COMMUNE' ? `${province}-COMMUNE-${commune}` : `${province}-${type}`;
      const agency = parseAgencyCode(code);
      if (!agency) throw new Error(`Cannot build agency code ${code}`);
      return { sub: `matrix.${type.toLowerCase()}.${role}`, agency, roles: [role], jurisdiction: [type === 'COMMUNE' ? commune : province] };
    }),
  );
}

/** Whether the enforcement path lets `principal` perform `action` (default: the policy's own decision, as PolicyGuard uses it). */
export type AuthorizationCheck = (principal: Principal, action: string) => boolean | Promise<boolean>;

export interface AuthorizationMatrixOptions {
  readonly principals?: readonly Principal[];
  readonly check?: AuthorizationCheck;
  /** Also match the whole matrix against a Jest snapshot, so any policy edit shows in review. */
  readonly snapshot?: boolean;
}

/** The expected answer, read straight from the rule data (not through `policy.decide`). */
export function expectedAllowed(rule: ActionRule, principal: Principal): boolean {
  return rule.agencyTypes.includes(principal.agency.type) && principal.roles.some((role) => rule.roles.includes(role));
}

function ruleOf(policy: Policy, action: string): ActionRule {
  const rule = policy.rules[action];
  if (!rule) throw new Error(`Policy lists action ${action} without a rule`);
  return rule;
}

function principalLabel(principal: Principal): string {
  return `${principal.agency.code} ${principal.roles.join('+')}`;
}

/**
 * Generates one Jest test per action × principal, named with its expected outcome
 * (`cases.read › allows 22-COMMUNE-06793 caseworker`), so that a policy edit changes test names
 * and, with `snapshot`, fails until the snapshot is updated on purpose. Call it at the top level
 * of a spec file.
 */
export function describeAuthorizationMatrix(policy: Policy, options: AuthorizationMatrixOptions = {}): void {
  const principals = options.principals ?? representativePrincipals();
  const check: AuthorizationCheck = options.check ?? ((principal, action) => policy.decide(principal, action).allowed);

  describe('authorization matrix', () => {
    for (const action of policy.actions) {
      const rule = ruleOf(policy, action);
      describe(action, () => {
        for (const principal of principals) {
          const allowed = expectedAllowed(rule, principal);
          it(`${allowed ? 'allows' : 'refuses'} ${principalLabel(principal)}`, async () => {
            expect(await check(principal, action)).toBe(allowed);
          });
        }
      });
    }

    it('refuses every principal an action the policy does not name', async () => {
      for (const principal of principals) expect(await check(principal, 'not-in-policy.anything')).toBe(false);
    });

    if (options.snapshot) {
      it('matches the recorded matrix', () => {
        const matrix = Object.fromEntries(
          policy.actions.map((action) => [action, principals.filter((p) => expectedAllowed(ruleOf(policy, action), p)).map(principalLabel)]),
        );
        expect(matrix).toMatchSnapshot();
      });
    }
  });
}
