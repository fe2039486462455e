import { RECEIVED_PERSON_NEEDS } from '@haidang/contracts';
import { canReceive, isHealthRelated, isReasonCodeOf, isStateBody, type AgencyType } from '../referral/domain';
import { RECEIVED_PERSON_NEED_REFERRALS, receivedPersonNeedReferralId, traffickingVictimSupportReferralId } from './trafficking-victim-support.process-manager';

/** The state agency types cross-border asks for each need (its NEED_RECEIVER_TYPES; support as a whole: Health or the commune). */
const ASKED_OF: Readonly<Record<(typeof RECEIVED_PERSON_NEEDS)[number], readonly AgencyType[]>> = {
  VICTIM_SUPPORT: ['HEALTH', 'COMMUNE'],
  SHELTER: ['COMMUNE', 'HEALTH'],
  HEALTH: ['HEALTH'],
  LEGAL_AID: ['COMMUNE', 'HEALTH'],
};

describe('the referrals made for the needs of a person received at the border', () => {
  const person = '7a1d2c3e-0000-4000-8000-000000000001';

  it('gives each need of each person its own referral id, the same on every delivery; support as a whole keeps the id v1 gave', () => {
    const ids = RECEIVED_PERSON_NEEDS.map((need) => receivedPersonNeedReferralId(person, need));
    expect(new Set(ids).size).toBe(RECEIVED_PERSON_NEEDS.length);
    expect(RECEIVED_PERSON_NEEDS.map((need) => receivedPersonNeedReferralId(person, need))).toEqual(ids);
    expect(receivedPersonNeedReferralId(person, 'VICTIM_SUPPORT')).toBe(traffickingVictimSupportReferralId(person));
    expect(receivedPersonNeedReferralId('7a1d2c3e-0000-4000-8000-000000000002', 'SHELTER')).not.toBe(receivedPersonNeedReferralId(person, 'SHELTER'));
  });

  it.each(RECEIVED_PERSON_NEEDS)('%s: a service every agency cross-border may ask provides today, a state body, with a reason code of its list', (need) => {
    const { serviceType, reasonCode } = RECEIVED_PERSON_NEED_REFERRALS[need];
    for (const type of ASKED_OF[need]) {
      expect(canReceive(serviceType, type, '2026-12-01')).toBe(true);
      expect(isStateBody(type)).toBe(true);
    }
    expect(isReasonCodeOf(serviceType, reasonCode)).toBe(true);
  });

  it('maps health care to the catalogue’s health service, and no reason carries anything about the person or a treatment', () => {
    expect(RECEIVED_PERSON_NEED_REFERRALS.HEALTH.serviceType).toBe('HEALTH_HIV_METHADONE');
    expect(isHealthRelated('HEALTH_HIV_METHADONE')).toBe(true);
    for (const { reason } of Object.values(RECEIVED_PERSON_NEED_REFERRALS)) {
      expect(reason).toMatch(/^Received from China at the border in a handover; needs /);
      expect(reason).not.toMatch(/HIV|methadone|drug|heroin|addict/i);
    }
  });
});
