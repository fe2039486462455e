import { CONTRACT_SERVICE_TYPES } from '@haidang/contracts';
import { AGENCY_TYPE_TABLE, AGENCY_TYPES, SERVICE_CATALOGUE, SERVICE_TYPES } from './referral-catalogue.data';
import { canReceive, catalogueDueOn, isStateBody, parseAgencyCode, receiversOn, receiversOnAnyDate, responseWorkingDays } from './referral-catalogue';

describe('referral catalogue', () => {
  it('has the response times agreed for issue 5, written out by hand', () => {
    const normal = Object.fromEntries(SERVICE_TYPES.map((s) => [s, responseWorkingDays(s, 'NORMAL')]));
    expect(normal).toEqual({
      TRAFFICKING_VICTIM_SUPPORT: 1,
      SHELTER: 1,
      REHAB_ADMISSION: 3,
      HEALTH_HIV_METHADONE: 3,
      COUNSELLING: 5,
      JOB_COUNSELLING: 5,
      LEGAL_AID: 5,
      VOCATIONAL_TRAINING: 10,
      JOB_PLACEMENT: 10,
    });
  });

  it('is the service vocabulary other services rely on (libs/contracts)', () => {
    expect([...SERVICE_TYPES].sort()).toEqual([...CONTRACT_SERVICE_TYPES].sort());
  });

  it.each(SERVICE_TYPES)('%s: HIGH urgency is NORMAL halved, rounded up, at least 1', (service) => {
    const { NORMAL, HIGH } = SERVICE_CATALOGUE[service].responseWorkingDays;
    expect(HIGH).toBe(Math.max(1, Math.ceil(NORMAL / 2)));
  });

  it('every service has a receiver on each side of 2025-03-01, and only known agency types valid that day', () => {
    for (const day of ['2022-06-15', '2025-02-28', '2025-03-01', '2026-12-06']) {
      for (const service of SERVICE_TYPES) {
        const receivers = receiversOn(service, day);
        expect(receivers.length).toBeGreaterThan(0);
        for (const type of receivers) expect(AGENCY_TYPES).toContain(type);
      }
    }
    expect(SERVICE_TYPES.flatMap((s) => receiversOn(s, '2025-03-01')).filter((t) => t === 'DOLISA')).toEqual([]);
  });

  it.each([
    ['TRAFFICKING_VICTIM_SUPPORT', 'HEALTH'],
    ['SHELTER', 'HEALTH'],
    ['COUNSELLING', 'HEALTH'],
    ['LEGAL_AID', 'HEALTH'],
    ['JOB_COUNSELLING', 'HOME_AFFAIRS'],
    ['JOB_PLACEMENT', 'HOME_AFFAIRS'],
    ['VOCATIONAL_TRAINING', 'EDUCATION'],
  ] as const)("%s: DOLISA's function goes to DOLISA until 2025-02-28, to %s from 2025-03-01", (service, successor) => {
    expect(canReceive(service, 'DOLISA', '2022-06-15')).toBe(true);
    expect(canReceive(service, 'DOLISA', '2025-02-28')).toBe(true);
    expect(canReceive(service, 'DOLISA', '2025-03-01')).toBe(false);
    expect(canReceive(service, successor, '2025-03-01')).toBe(true);
    expect(receiversOnAnyDate(service)).toEqual(expect.arrayContaining(['DOLISA', successor]));
  });

  it('Home Affairs and Education receive nothing before 2025-03-01', () => {
    for (const service of SERVICE_TYPES) {
      expect([service, canReceive(service, 'HOME_AFFAIRS', '2025-02-28'), canReceive(service, 'EDUCATION', '2025-02-28')]).toEqual([service, false, false]);
    }
  });

  it('only rehab admission and health/HIV/methadone are health-related', () => {
    expect(SERVICE_TYPES.filter((s) => SERVICE_CATALOGUE[s].healthRelated).sort()).toEqual(['HEALTH_HIV_METHADONE', 'REHAB_ADMISSION']);
  });

  it('SUPPORT_MODEL and NGO are the non-state agency types', () => {
    expect(AGENCY_TYPES.filter((t) => !isStateBody(t)).sort()).toEqual(['NGO', 'SUPPORT_MODEL']);
    expect(Object.keys(AGENCY_TYPE_TABLE).sort()).toEqual([...AGENCY_TYPES].sort());
  });

  it('job placement goes to the employment centre, not to the police', () => {
    expect(canReceive('JOB_PLACEMENT', 'EMPLOYMENT_CENTRE', '2026-03-06')).toBe(true);
    expect(canReceive('JOB_PLACEMENT', 'POLICE', '2026-03-06')).toBe(false);
  });

  it('reads agency codes <province>-<TYPE>[-<n>]', () => {
    expect(parseAgencyCode('22-COMMUNE-06793')).toEqual({ code: '22-COMMUNE-06793', type: 'COMMUNE' });
    expect(parseAgencyCode('20-BORDER_GUARD')).toEqual({ code: '20-BORDER_GUARD', type: 'BORDER_GUARD' });
    expect(parseAgencyCode('22-REHAB_FACILITY-1')).toEqual({ code: '22-REHAB_FACILITY-1', type: 'REHAB_FACILITY' });
    expect(parseAgencyCode('22-NGO-1')).toEqual({ code: '22-NGO-1', type: 'NGO' });
    expect(parseAgencyCode('22-COURT-2')).toEqual({ code: '22-COURT-2', type: 'COURT' });
    for (const bad of ['', 'POLICE', '2-POLICE', '22-police', '22-CHARITY-1', '22-POLICE-1-2']) expect(parseAgencyCode(bad)).toBeNull();
  });

  it('an NGO receives wherever a support model does, and nothing else', () => {
    for (const service of SERVICE_TYPES) {
      expect([service, canReceive(service, 'NGO', '2026-03-06')]).toEqual([service, canReceive(service, 'SUPPORT_MODEL', '2026-03-06')]);
    }
  });

  it('counts due dates in public-sector working days (weekend, Tết 2026)', () => {
    expect(catalogueDueOn('2026-03-06', 'SHELTER', 'NORMAL')).toBe('2026-03-09');
    expect(catalogueDueOn('2026-02-13', 'REHAB_ADMISSION', 'NORMAL')).toBe('2026-02-25');
    expect(catalogueDueOn('2026-02-13', 'REHAB_ADMISSION', 'HIGH')).toBe('2026-02-24');
  });
});
