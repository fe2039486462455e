import {
  AGENCY_FUNCTIONS,
  AGENCY_TYPE_PERIODS,
  agencyEffectiveDates,
  agencyTypeHolding,
  agencyTypesHolding,
  agencyTypesWithoutPeriods,
  agencyTypeValidUntil,
  functionsOf,
  isAgencyTypeValidOn,
  NoAgencyHoldsFunctionError,
  type AgencyFunction,
} from './agency-types';
import type { AgencyType } from './principal';

const BEFORE = '2025-02-28';
const FROM = '2025-03-01';

function dayBefore(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

describe('agency table', () => {
  it('has rows for every agency type, each with a source, and no overlapping rows of one type', () => {
    expect(agencyTypesWithoutPeriods()).toEqual([]);
    for (const period of AGENCY_TYPE_PERIODS) {
      expect(period.source.length).toBeGreaterThan(10);
      if (period.validFrom !== null && period.validUntil !== null) expect(period.validFrom < period.validUntil).toBe(true);
      if (period.verify) expect(period.note).toBeTruthy();
    }
    for (const date of agencyEffectiveDates().flatMap((d) => [dayBefore(d), d])) {
      const types = AGENCY_TYPE_PERIODS.filter((p) => (p.validFrom === null || p.validFrom <= date) && (p.validUntil === null || date < p.validUntil)).map(
        (p) => p.type,
      );
      expect(new Set(types).size).toBe(types.length);
    }
  });

  it('gives every function exactly one holder on each side of every effective date, and in 2022', () => {
    const dates = ['2022-06-15', ...agencyEffectiveDates().flatMap((d) => [dayBefore(d), d]), '2026-12-06'];
    for (const date of dates) {
      for (const fn of AGENCY_FUNCTIONS) {
        expect({ fn, date, holders: agencyTypesHolding(fn, date) }).toEqual({ fn, date, holders: [expect.any(String)] });
      }
    }
  });

  const moves: [AgencyFunction, AgencyType, AgencyType][] = [
    ['DRUG_REHAB_STATE_MANAGEMENT', 'DOLISA', 'POLICE'],
    ['POST_REHAB_MANAGEMENT', 'DOLISA', 'POLICE'],
    ['REHAB_FACILITY_OPERATION', 'DOLISA', 'POLICE'],
    ['SOCIAL_EVILS_PREVENTION', 'DOLISA', 'HEALTH'],
    ['SOCIAL_PROTECTION', 'DOLISA', 'HEALTH'],
    ['CHILD_PROTECTION', 'DOLISA', 'HEALTH'],
    ['TRAFFICKING_VICTIM_SUPPORT', 'DOLISA', 'HEALTH'],
    ['LABOUR_EMPLOYMENT', 'DOLISA', 'HOME_AFFAIRS'],
    ['VOCATIONAL_EDUCATION', 'DOLISA', 'EDUCATION'],
  ];
  it.each(moves)('%s: %s until 2025-02-28, %s from 2025-03-01', (fn, before, after) => {
    expect(agencyTypeHolding(fn, '2022-03-10')).toBe(before);
    expect(agencyTypeHolding(fn, BEFORE)).toBe(before);
    expect(agencyTypeHolding(fn, FROM)).toBe(after);
    expect(agencyTypeHolding(fn, '2026-12-06')).toBe(after);
  });

  it('keeps DOLISA valid for 2022 records and ends it on 2025-03-01', () => {
    expect(isAgencyTypeValidOn('DOLISA', '2022-03-10')).toBe(true);
    expect(isAgencyTypeValidOn('DOLISA', BEFORE)).toBe(true);
    expect(isAgencyTypeValidOn('DOLISA', FROM)).toBe(false);
    expect(agencyTypeValidUntil('DOLISA')).toBe(FROM);
    expect(functionsOf('DOLISA', FROM)).toEqual([]);
    expect(functionsOf('DOLISA', BEFORE)).toContain('SOCIAL_EVILS_PREVENTION');
  });

  it('keeps the receiving departments valid on both sides, with more functions after', () => {
    for (const type of ['HOME_AFFAIRS', 'HEALTH', 'EDUCATION', 'POLICE'] as const) {
      expect(isAgencyTypeValidOn(type, BEFORE)).toBe(true);
      expect(isAgencyTypeValidOn(type, FROM)).toBe(true);
      expect(agencyTypeValidUntil(type)).toBeNull();
    }
    expect(functionsOf('HOME_AFFAIRS', BEFORE)).toEqual([]);
    expect(functionsOf('HOME_AFFAIRS', FROM)).toEqual(['LABOUR_EMPLOYMENT']);
    expect(functionsOf('POLICE', BEFORE)).not.toContain('DRUG_REHAB_STATE_MANAGEMENT');
    expect(functionsOf('POLICE', FROM)).toContain('DRUG_REHAB_STATE_MANAGEMENT');
  });

  it('keeps the functions that did not move with their holder on both sides', () => {
    for (const date of [BEFORE, FROM]) {
      expect(agencyTypeHolding('COMPULSORY_REHAB_DECISION', date)).toBe('COURT');
      expect(agencyTypeHolding('DRUG_USER_MANAGEMENT', date)).toBe('COMMUNE');
      expect(agencyTypeHolding('COMPULSORY_REHAB_DOSSIER', date)).toBe('COMMUNE_POLICE');
      expect(agencyTypeHolding('FACILITY_REHAB_TREATMENT', date)).toBe('REHAB_FACILITY');
      expect(agencyTypeHolding('EMPLOYMENT_SERVICES', date)).toBe('EMPLOYMENT_CENTRE');
    }
  });

  it('names the function and the date when no single type holds it', () => {
    const error = (() => {
      try {
        agencyTypeHolding('NOT_A_FUNCTION' as AgencyFunction, FROM);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NoAgencyHoldsFunctionError);
    expect((error as Error).message).toBe('no agency type holds NOT_A_FUNCTION on 2025-03-01');
  });
});
