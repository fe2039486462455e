/**
 * Where a person is managed versus where they are.
 *
 * Scope checks use the responsible unit: the commune of residence, where post-rehab management
 * and community rehabilitation happen (Law on Drug Prevention and Control 2021). Where the person
 * is now (a rehabilitation facility in another province, a hospital, a detention centre) does not
 * move their record out of the home commune's sight, and does not put it in the sight of that
 * place's local officers: a facility sees the people it holds through its own agency's scope, not
 * through jurisdiction.
 */
export interface PersonJurisdiction {
  /** Administrative-unit code of the commune of residence (responsible jurisdiction). */
  readonly residenceCommuneCode: string;
  /** Where the person is at present; informative only, never used for scope. */
  readonly currentLocationUnitCode?: string;
}

export function responsibleUnit(record: PersonJurisdiction): string {
  return record.residenceCommuneCode;
}
