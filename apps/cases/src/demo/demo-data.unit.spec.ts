import { isWorkingDay } from '@haidang/calendar';
import { fullYearsBetween } from '../rehab-case/domain/age-group';
import { CASES, type DemoPerson, type DemoPoster, FOLLOW_UP_CASES, PERSONS, runScenario, type Scenario } from './demo-data';

/** Every request the demo scenarios make, recorded by a stub in place of the HTTP API. */
interface Posted {
  readonly person: DemoPerson;
  readonly episode: 'first' | 'second';
  readonly agency: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

async function record(): Promise<Posted[]> {
  const posted: Posted[] = [];
  const walk = async (list: ReadonlyArray<readonly [string, Scenario]>, episode: 'first' | 'second') => {
    for (const [key, scenario] of list) {
      const person = PERSONS.find((p) => p.key === key) as DemoPerson;
      let version = -1;
      const api: DemoPoster = {
        post: async (agency, path, _key, body) => {
          posted.push({ person, episode, agency, path, body: body as Record<string, unknown> });
          version += 1;
          return { id: `${key}-${episode}-${path.split('/')[3] ?? ''}`, version: path.includes('drug-user-managements') ? 0 : version };
        },
      };
      await runScenario(api, person, `person-${key}`, scenario, episode === 'second' ? 'after-relapse' : undefined);
    }
  };
  await walk(CASES, 'first');
  await walk(FOLLOW_UP_CASES, 'second');
  return posted;
}

type Basis = { decisionNo: string; decisionDate: string; issuedBy: string };
const basesOf = (posted: readonly Posted[]) =>
  posted.filter((p) => p.body['legalBasis'] !== undefined).map((p) => ({ ...p, basis: p.body['legalBasis'] as Basis }));

describe('demo data as a Vietnamese official would read it (issue 11)', () => {
  let posted: Posted[];
  beforeAll(async () => {
    posted = await record();
  });

  it('numbers decisions as Decree 30/2020 does: …/QĐ-UBND for a commune chair, …/QĐ-TA for a court; no QĐ-QLSCN, QĐ-GTH, QĐ-MMT', () => {
    const bases = basesOf(posted);
    expect(bases.length).toBeGreaterThan(40);
    const suffixOf: Record<string, string> = { COMMUNE_CHAIR: 'UBND', COURT: 'TA', FACILITY_DIRECTOR: 'CSCN', TREATMENT_FACILITY: 'TTYT' };
    for (const { basis } of bases) {
      expect(basis.decisionNo).toMatch(/^\d{2,3}\/QĐ-(UBND|TA|CSCN|TTYT)$/);
      expect(basis.decisionNo.endsWith(`/QĐ-${suffixOf[basis.issuedBy]}`)).toBe(true);
      expect(basis.decisionNo).not.toMatch(/QLSCN|GTH|MMT/);
    }
  });

  it('gives each decision of a body in a year its own number', () => {
    const seen = new Map<string, string>();
    for (const { basis, agency, person } of basesOf(posted)) {
      // The issuing body: the commune chair of the person's commune, the court, the facility or the health centre.
      const body = basis.issuedBy === 'COMMUNE_CHAIR' ? `commune-${person.commune}` : basis.issuedBy === 'COURT' ? `court-${agency.slice(0, 2)}` : agency;
      const id = `${body} ${basis.decisionDate.slice(0, 4)} ${basis.decisionNo}`;
      expect(seen.get(id)).toBeUndefined();
      seen.set(id, basis.decisionDate);
    }
  });

  it('dates every decision on a working day of the official calendar: never the first day of Tết or National Day', () => {
    const dates = basesOf(posted).map((b) => b.basis.decisionDate);
    for (const date of dates) expect([date, isWorkingDay(date)]).toEqual([date, true]);
    for (const holiday of [
      '2022-02-01',
      '2023-01-22',
      '2024-02-10',
      '2025-01-29',
      '2026-02-17',
      '2022-09-02',
      '2023-09-02',
      '2024-09-02',
      '2025-09-02',
      '2026-09-02',
    ])
      expect(dates).not.toContain(holiday);
  });

  it('follows a relapse during post-rehab management with compulsory rehab within weeks, not a voluntary stay years later', () => {
    const relapses = posted.filter((p) => p.path.endsWith('/relapse'));
    expect(relapses.length).toBeGreaterThan(0);
    for (const relapse of relapses) {
      const detectedOn = relapse.body['detectedOn'] as string;
      const next = basesOf(posted).find((b) => b.person.key === relapse.person.key && b.episode === 'second');
      expect(next?.body['form']).toBe('COMPULSORY_FACILITY');
      expect(next?.basis.issuedBy).toBe('COURT');
      const days = (Date.parse(next?.basis.decisionDate as string) - Date.parse(detectedOn)) / 86_400_000;
      expect(days).toBeGreaterThan(0);
      expect(days).toBeLessThan(60);
    }
  });

  it('has minors (12–17 on the decision date) and Lạng Sơn persons and cases, the not-addicted managed by their commune chair', () => {
    const minors = basesOf(posted).filter((b) => {
      const age = fullYearsBetween(b.person.dateOfBirth, b.basis.decisionDate);
      return age >= 12 && age < 18;
    });
    expect(minors.length).toBeGreaterThanOrEqual(1);
    const langSon = posted.filter((p) => p.agency.startsWith('20-'));
    expect(new Set(langSon.map((p) => p.person.key)).size).toBeGreaterThanOrEqual(3);
    expect(langSon.some((p) => p.path === '/api/v1/rehab-cases')).toBe(true);
    const managements = posted.filter((p) => p.path === '/api/v1/drug-user-managements');
    expect(managements.map((m) => m.person.key).sort()).toEqual(['p11', 'p34']);
    for (const management of managements) expect(management.agency).toMatch(/^\d{2}-COMMUNE-\d{5}$/);
  });

  it('after 2025-03-01 no act is done by DOLISA (dissolved): every agency acting is a type that exists on the act’s date', () => {
    expect(posted.filter((p) => p.agency.includes('DOLISA'))).toEqual([]);
  });
});
