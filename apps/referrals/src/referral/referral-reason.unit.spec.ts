import { replay } from './domain';
import { COMMUNE, createCommand, FACILITY, history } from './domain/referral.test-fixtures';
import { seesReasonText } from './referral-reason';

describe('who reads the free text of a referral reason (issue 10 §10)', () => {
  const toSupportModel = (treatmentData: boolean) =>
    replay(
      history(
        createCommand({
          fromAgency: COMMUNE,
          toAgency: '22-SUPPORT_MODEL-3',
          serviceType: 'COUNSELLING',
          consent: { given: true, recordedOn: '2026-03-02', scope: { services: ['COUNSELLING'], treatmentData } },
        }),
      ),
    );

  it('withholds it from a non-state receiver without consent to treatment data', () => {
    expect(seesReasonText('receiver', toSupportModel(false))).toBe(false);
  });

  it('shows it to that receiver with consent to treatment data, to the sender, and to a state receiver', () => {
    expect(seesReasonText('receiver', toSupportModel(true))).toBe(true);
    expect(seesReasonText('sender', toSupportModel(false))).toBe(true);
    const toFacility = replay(history(createCommand({ fromAgency: COMMUNE, toAgency: FACILITY, serviceType: 'REHAB_ADMISSION' })));
    expect(seesReasonText('receiver', toFacility)).toBe(true);
  });
});
