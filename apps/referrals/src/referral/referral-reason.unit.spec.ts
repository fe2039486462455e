import { replay } from './domain';
import { COMMUNE, createCommand, FACILITY, history, LEGAL_BASIS } from './domain/referral.test-fixtures';
import { viewFor } from './get-referral/get-referral.http.controller';
import { seesReasonText, whatTheReceiverSees } from './referral-reason';

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

  it('shows that receiver the coded reason with its labels instead, and the sender both', () => {
    const state = toSupportModel(false);
    const asClub = viewFor('receiver', 'r1', 0, state, undefined, '2026-03-06');
    expect(asClub).toMatchObject({ reason: null, reasonCode: 'PEER_SUPPORT', reasonLabel: { vi: 'Cần hỗ trợ đồng đẳng', en: 'Asks for peer support' } });
    expect(viewFor('sender', 'r1', 0, state, 'why', '2026-03-06')).toMatchObject({ reason: 'why', reasonCode: 'PEER_SUPPORT' });
    // An agency it passed through sees neither.
    expect(viewFor('earlier-receiver', 'r1', 0, state, undefined, '2026-03-06')).not.toHaveProperty('reasonCode');
  });

  it('lets a non-state receiver on a legal basis read the text (the ground on which it also sees the case)', () => {
    const onBasis = replay(
      history(createCommand({ fromAgency: COMMUNE, toAgency: '22-SUPPORT_MODEL-3', serviceType: 'COUNSELLING', legalBasis: LEGAL_BASIS, reasonCode: null })),
    );
    expect(seesReasonText('receiver', onBasis)).toBe(true);
  });

  it('tells the sender what the receiver will see', () => {
    const consent = (treatmentData: boolean) => ({ given: true, scope: { services: ['COUNSELLING'], treatmentData } });
    expect(whatTheReceiverSees('22-SUPPORT_MODEL-3', 'COUNSELLING', consent(false), false, 'PEER_SUPPORT')).toEqual({
      receiverSees: 'reason-code-only',
      warning:
        'The receiver 22-SUPPORT_MODEL-3 is a non-state agency without the person’s consent to treatment data or a legal basis: it sees only the coded reason PEER_SUPPORT (Cần hỗ trợ đồng đẳng / Asks for peer support), never your free text.',
    });
    expect(whatTheReceiverSees('22-NGO-1', 'COUNSELLING', consent(true), false, null)).toEqual({ receiverSees: 'reason-text' });
    expect(whatTheReceiverSees('22-NGO-1', 'COUNSELLING', consent(false), true, null)).toEqual({ receiverSees: 'reason-text' });
    expect(whatTheReceiverSees('22-EMPLOYMENT_CENTRE', 'JOB_PLACEMENT', null, false, null)).toEqual({ receiverSees: 'reason-text' });
  });
});
