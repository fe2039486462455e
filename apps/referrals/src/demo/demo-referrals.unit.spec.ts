import { isReasonCodeOf, isStateBody, parseAgencyCode } from '../referral/domain';
import { SERVICE_CATALOGUE, type ServiceType } from '../referral/domain/referral-catalogue.data';
import { referralsOf } from './demo-referrals';

const facts = {
  commune: '06793',
  personIds: Object.fromEntries(Array.from({ length: 36 }, (_, i) => [`p${String(i + 1).padStart(2, '0')}`, `person-${i + 1}`])),
  caseIds: Object.fromEntries(Array.from({ length: 36 }, (_, i) => [`p${String(i + 1).padStart(2, '0')}`, `case-${i + 1}`])),
};

describe('demo referrals as an official would read them (issue 11)', () => {
  const referrals = referralsOf(facts);

  it('sends no treatment data in a reason to a receiver that may not see it (r05 to the employment centre, r07 to the after-care club, …)', () => {
    const withoutTreatmentData = referrals.filter((r) => !SERVICE_CATALOGUE[r.create['serviceType'] as ServiceType].healthRelated);
    expect(withoutTreatmentData.map((r) => r.key)).toEqual(expect.arrayContaining(['r05', 'r07']));
    for (const referral of withoutTreatmentData)
      expect([referral.key, referral.create['reason']]).toEqual([
        referral.key,
        expect.not.stringMatching(/cai nghiện|sau cai|tái nghiện|methadone|ma túy|HIV/i),
      ]);
  });

  it('gives every referral a coded reason of its service type, so the after-care club (non-state) sees a code, never the text (issue 10 §10)', () => {
    const toNonState = referrals.filter((r) => {
      const to = parseAgencyCode(r.create['toAgency'] as string);
      return to !== null && !isStateBody(to.type);
    });
    expect(toNonState.map((r) => r.key)).toEqual(['r06', 'r07', 'r08']);
    for (const r of referrals) expect([r.key, isReasonCodeOf(r.create['serviceType'] as ServiceType, r.create['reasonCode'])]).toEqual([r.key, true]);
  });

  it('sends nothing to, and redirects nothing to, DOLISA (dissolved on 2025-03-01): the holders of its functions receive', () => {
    const json = JSON.stringify(referrals.map((r) => ({ ...r, then: (r.then ?? []).map((s) => s.body()) })));
    expect(json).not.toContain('DOLISA');
    expect(referrals.find((r) => r.key === 'r03')?.then?.[0]?.body()).toMatchObject({ toAgency: '22-EDUCATION' });
    expect(referrals.find((r) => r.key === 'r10')?.create).toMatchObject({ toAgency: '22-HEALTH', serviceType: 'SHELTER' });
  });

  it('admits to the facility on the court’s compulsory decision (p04), not a voluntary stay years after a relapse', () => {
    const r01 = referrals.find((r) => r.key === 'r01');
    expect(r01?.create).toMatchObject({ personId: 'person-4', caseId: 'case-4', serviceType: 'REHAB_ADMISSION' });
    expect(r01?.create['reason']).toMatch(/Tòa án/);
    expect(JSON.stringify(referrals)).not.toMatch(/tự nguyện tại cơ sở/);
  });
});
