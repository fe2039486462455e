import type { ReferralCommand } from './referral.commands';
import { type DecideResult, isOverdue, replay } from './referral.decider';
import { REFERRAL_ERRORS, type ReferralErrorCode } from './referral.errors';
import type { DeclineReason, ReferralEvent } from './referral.events';
import {
  at,
  CLUB,
  CLUB_2,
  COMMUNE,
  CONSENT_FOR_JOBS,
  DOLISA,
  createCommand,
  EDUCATION,
  HEALTH_DEPT,
  HOME_AFFAIRS,
  EMPLOYMENT,
  errorCode,
  eventsOf,
  FACILITY,
  given,
  HEALTH,
  history,
  LEGAL_BASIS,
  POLICE,
  proposeCommand,
} from './referral.test-fixtures';

/** Every error code a test expects; the last test checks that none is left untested. */
const tested = new Set<ReferralErrorCode>();
function expectError(result: DecideResult, code: ReferralErrorCode): void {
  tested.add(code);
  expect(errorCode(result)).toBe(code);
}

const sent = (): ReferralEvent[] => history(createCommand());
const sentToClub = (): ReferralEvent[] => history(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS }));
const accept = (byAgency: string): ReferralCommand => ({ type: 'AcceptReferral', data: { byAgency } });
const decline = (byAgency: string, reason: DeclineReason, note?: string | null): ReferralCommand => ({
  type: 'DeclineReferral',
  data: { byAgency, reason, note },
});
const redirect = (byAgency: string, toAgency: string, extra: { legalBasis?: typeof LEGAL_BASIS; reasonCode?: string } = {}): ReferralCommand => ({
  type: 'RedirectReferral',
  data: { byAgency, toAgency, ...extra },
});
const withdrawConsent = (byAgency: string, withdrawnOn = '2026-03-06'): ReferralCommand => ({ type: 'WithdrawConsent', data: { byAgency, withdrawnOn } });
const markOverdue = (today: string): ReferralCommand => ({ type: 'MarkOverdue', data: { today } });

describe('referral decider', () => {
  describe('create and send', () => {
    it('sends a referral to a state agency without consent, due by the catalogue in working days', () => {
      expect(given([]).when(createCommand())).toEqual([
        {
          type: 'ReferralSent',
          data: {
            referralId: 'ref-1',
            personId: 'person-1',
            caseId: 'case-1',
            from: { code: FACILITY, type: 'REHAB_FACILITY' },
            to: { code: EMPLOYMENT, type: 'EMPLOYMENT_CENTRE' },
            serviceType: 'JOB_PLACEMENT',
            reason: 'completed rehab, looking for work',
            reasonCode: 'NO_STABLE_JOB',
            urgency: 'NORMAL',
            sharesTreatmentData: false,
            consent: null,
            legalBasis: null,
            sentOn: '2026-03-06',
            // Friday + 10 working days: two weekends skipped.
            dueOn: '2026-03-20',
            dueOnSource: 'CATALOGUE',
          },
        },
      ]);
    });

    it('takes the day in Vietnam (UTC+7) from now', () => {
      // 2026-03-06 20:00 UTC is already Saturday 7 March in Vietnam.
      const [event] = eventsOf(given([]).when(createCommand(), new Date('2026-03-06T20:00:00Z')));
      expect(event?.type === 'ReferralSent' && event.data.sentOn).toBe('2026-03-07');
    });

    it('a caseless referral is allowed (e.g. a trafficking victim)', () => {
      const result = given([]).when(createCommand({ caseId: undefined, toAgency: HEALTH_DEPT, serviceType: 'TRAFFICKING_VICTIM_SUPPORT', urgency: 'HIGH' }));
      const [event] = eventsOf(result);
      expect(event?.type === 'ReferralSent' && [event.data.caseId, event.data.dueOn]).toEqual([null, '2026-03-09']);
    });

    it("takes the sender's own due date when given, from today on", () => {
      const [event] = eventsOf(given([]).when(createCommand({ dueBy: '2026-03-06' })));
      expect(event?.type === 'ReferralSent' && [event.data.dueOn, event.data.dueOnSource]).toEqual(['2026-03-06', 'SENDER']);
      expectError(given([]).when(createCommand({ dueBy: '2026-03-05' })), 'due-date-in-past');
      expectError(given([]).when(createCommand({ dueBy: '2026-02-30' })), 'invalid-date');
    });

    it('refuses a second create or proposal on the same referral', () => {
      expectError(given(sent()).when(createCommand()), 'referral-already-exists');
      expectError(given(sent()).when(proposeCommand()), 'referral-already-exists');
    });

    it('refuses empty references', () => {
      expectError(given([]).when(createCommand({ personId: ' ' })), 'missing-reference');
      expectError(given([]).when(createCommand({ referralId: '' })), 'missing-reference');
      expectError(given([]).when(createCommand({ caseId: '' })), 'missing-reference');
    });

    it('refuses agency codes that are malformed or of an unknown type', () => {
      expectError(given([]).when(createCommand({ toAgency: 'EMPLOYMENT_CENTRE' })), 'unknown-agency');
      expectError(given([]).when(createCommand({ toAgency: '22-CHARITY-1' })), 'unknown-agency');
      expectError(given([]).when(createCommand({ fromAgency: '' })), 'unknown-agency');
    });

    it('refuses a service or urgency outside the catalogue', () => {
      expectError(given([]).when(createCommand({ serviceType: 'MASSAGE' as never })), 'unknown-service-type');
      expectError(given([]).when(createCommand({ urgency: 'LOW' as never })), 'unknown-urgency');
    });

    it('refuses a referral without a reason', () => {
      expectError(given([]).when(createCommand({ reason: '  ' })), 'empty-reason');
    });

    it('refuses a referral to the sending agency itself', () => {
      expectError(given([]).when(createCommand({ toAgency: FACILITY, serviceType: 'COUNSELLING' })), 'referral-to-self');
    });

    it('refuses a receiver whose type does not provide the service', () => {
      const result = given([]).when(createCommand({ toAgency: HEALTH }));
      expectError(result, 'receiver-cannot-provide-service');
      expect(!Array.isArray(result) && result.message).toContain('EMPLOYMENT_CENTRE');
      expectError(given([]).when(createCommand({ toAgency: POLICE, serviceType: 'SHELTER' })), 'receiver-cannot-provide-service');
    });

    it('lets only health-related services carry treatment data', () => {
      expectError(given([]).when(createCommand({ sharesTreatmentData: true })), 'treatment-data-not-allowed');
      const health = createCommand({ toAgency: HEALTH, serviceType: 'HEALTH_HIV_METHADONE', sharesTreatmentData: true });
      expect(errorCode(given([]).when(health))).toBe('no error');
    });
  });

  describe('consent and legal basis for a non-state receiver', () => {
    it('refuses sharing with a support model without consent or legal basis', () => {
      const result = given([]).when(createCommand({ toAgency: CLUB }));
      expectError(result, 'consent-or-legal-basis-required');
    });

    it('accepts given consent whose scope covers the service', () => {
      expect(errorCode(given([]).when(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS })))).toBe('no error');
    });

    it('accepts a legal basis instead of consent', () => {
      expect(errorCode(given([]).when(createCommand({ toAgency: CLUB, legalBasis: LEGAL_BASIS })))).toBe('no error');
    });

    it('refuses consent that was not given', () => {
      expectError(given([]).when(createCommand({ toAgency: CLUB, consent: { ...CONSENT_FOR_JOBS, given: false } })), 'consent-not-given');
    });

    it('refuses consent recorded in the future or on an impossible date', () => {
      expectError(given([]).when(createCommand({ toAgency: CLUB, consent: { ...CONSENT_FOR_JOBS, recordedOn: '2026-03-07' } })), 'date-in-future');
      expectError(given([]).when(createCommand({ toAgency: CLUB, consent: { ...CONSENT_FOR_JOBS, recordedOn: '06/03/2026' } })), 'invalid-date');
    });

    it('refuses consent whose scope does not cover the service', () => {
      const consent = { ...CONSENT_FOR_JOBS, scope: { services: ['COUNSELLING' as const], treatmentData: false } };
      expectError(given([]).when(createCommand({ toAgency: CLUB, consent })), 'consent-scope-does-not-cover-service');
    });

    it('refuses treatment data to a non-state receiver unless the consent names it', () => {
      const hiv = (treatmentData: boolean) =>
        createCommand({
          toAgency: CLUB,
          serviceType: 'HEALTH_HIV_METHADONE',
          sharesTreatmentData: true,
          consent: { given: true, recordedOn: '2026-03-02', scope: { services: ['HEALTH_HIV_METHADONE'], treatmentData } },
        });
      expectError(given([]).when(hiv(false)), 'consent-scope-does-not-cover-treatment-data');
      expect(errorCode(given([]).when(hiv(true)))).toBe('no error');
    });

    it('refuses an incomplete or future legal basis', () => {
      expectError(given([]).when(createCommand({ toAgency: CLUB, legalBasis: { ...LEGAL_BASIS, decisionNo: ' ' } })), 'decision-number-missing');
      expectError(given([]).when(createCommand({ toAgency: CLUB, legalBasis: { ...LEGAL_BASIS, lawArticle: '' } })), 'law-article-missing');
      expectError(given([]).when(createCommand({ toAgency: CLUB, legalBasis: { ...LEGAL_BASIS, decisionDate: '2026-04-01' } })), 'date-in-future');
    });
  });

  describe('coded reasons for a receiver that may not read the free text (issue 10 §10)', () => {
    const CONSENT_WITH_TREATMENT = { ...CONSENT_FOR_JOBS, scope: { ...CONSENT_FOR_JOBS.scope, treatmentData: true } };

    it('needs a code to send to a non-state receiver whose consent does not cover treatment data, and records it', () => {
      const result = given([]).when(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS, reasonCode: null }));
      expectError(result, 'reason-code-required');
      // The detail lists the codes to choose from.
      expect(!Array.isArray(result) && result.message).toContain('NO_STABLE_JOB, JOB_NEAR_HOME');
      const [event] = eventsOf(given([]).when(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS, reasonCode: 'JOB_NEAR_HOME' })));
      expect(event?.type === 'ReferralSent' && event.data.reasonCode).toBe('JOB_NEAR_HOME');
      expect(replay([event as ReferralEvent]).reasonCode).toBe('JOB_NEAR_HOME');
    });

    it('needs none for a state receiver, a consent covering treatment data, or a legal basis; events without one read as before', () => {
      const result = given([]).when(createCommand({ reasonCode: null }));
      expect(eventsOf(result)[0]?.data).not.toHaveProperty('reasonCode');
      expect(replay(eventsOf(result)).reasonCode).toBeNull();
      expect(errorCode(given([]).when(createCommand({ toAgency: CLUB, consent: CONSENT_WITH_TREATMENT, reasonCode: null })))).toBe('no error');
      expect(errorCode(given([]).when(createCommand({ toAgency: CLUB, legalBasis: LEGAL_BASIS, reasonCode: null })))).toBe('no error');
    });

    it('refuses a code of another service type, or none at all, whoever the receiver', () => {
      expectError(given([]).when(createCommand({ reasonCode: 'NO_SAFE_HOME' })), 'reason-code-not-for-service');
      expectError(given([]).when(createCommand({ reasonCode: 'because' })), 'reason-code-not-for-service');
      expectError(given([]).when(proposeCommand({ reasonCode: 'NO_SAFE_HOME' })), 'reason-code-not-for-service');
    });

    it('asks for the code when a draft is sent to such a receiver, taking the draft’s or the one given with the sending', () => {
      const draft = history(proposeCommand({ toAgency: CLUB, reasonCode: null }));
      const send = (extra: object = {}): ReferralCommand => ({ type: 'SendReferral', data: { byAgency: FACILITY, consent: CONSENT_FOR_JOBS, ...extra } });
      expectError(given(draft).when(send()), 'reason-code-required');
      expectError(given(draft).when(send({ reasonCode: 'PEER_SUPPORT' })), 'reason-code-not-for-service');
      const [event] = eventsOf(given(draft).when(send({ reasonCode: 'NO_STABLE_JOB' })));
      expect(event?.type === 'ReferralSent' && event.data.reasonCode).toBe('NO_STABLE_JOB');
      const coded = history(proposeCommand({ toAgency: CLUB }));
      const [fromDraft] = eventsOf(given(coded).when(send()));
      expect(fromDraft?.type === 'ReferralSent' && fromDraft.data.reasonCode).toBe('NO_STABLE_JOB');
    });

    it('asks for the code on a redirect to such a receiver when the referral has none, and keeps the sender’s', () => {
      const withConsent = history(createCommand({ consent: CONSENT_FOR_JOBS, reasonCode: null }));
      expectError(given(withConsent).when(redirect(EMPLOYMENT, CLUB)), 'reason-code-required');
      const redirected = eventsOf(given(withConsent).when(redirect(EMPLOYMENT, CLUB, { reasonCode: 'JOB_NEAR_HOME' })));
      expect(redirected[0]?.data).toMatchObject({ reasonCode: 'JOB_NEAR_HOME' });
      expect(replay([...withConsent, ...redirected]).reasonCode).toBe('JOB_NEAR_HOME');
      // The sender's code stays: the same one may be repeated, another is refused.
      const coded = history(createCommand({ consent: CONSENT_FOR_JOBS, reasonCode: 'NO_STABLE_JOB' }));
      expect(eventsOf(given(coded).when(redirect(EMPLOYMENT, CLUB)))[0]?.data).not.toHaveProperty('reasonCode');
      expect(errorCode(given(coded).when(redirect(EMPLOYMENT, CLUB, { reasonCode: 'NO_STABLE_JOB' })))).toBe('no error');
      expectError(given(coded).when(redirect(EMPLOYMENT, CLUB, { reasonCode: 'JOB_NEAR_HOME' })), 'reason-code-already-recorded');
      // A redirect to a state body needs none.
      expect(errorCode(given(withConsent).when(redirect(EMPLOYMENT, HOME_AFFAIRS)))).toBe('no error');
    });
  });

  describe('draft (proposed) referrals', () => {
    it('proposes a draft with no consent check and no due date', () => {
      const result = given([]).when(proposeCommand({ toAgency: CLUB }));
      const [event] = eventsOf(result);
      expect(event?.type).toBe('ReferralProposed');
      const state = replay(eventsOf(result));
      expect([state.status, state.dueOn, isOverdue(state, '2027-01-01')]).toEqual(['DRAFT', null, false]);
    });

    it('a draft may leave the receiver open, but cannot be sent without one', () => {
      const draft = history(proposeCommand({ toAgency: null }));
      expectError(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY } }), 'receiver-required');
      const [event] = eventsOf(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY, toAgency: EMPLOYMENT } }));
      expect(event?.type === 'ReferralSent' && [event.data.to.code, event.data.reason]).toEqual([EMPLOYMENT, 'job counselling after completed rehab']);
    });

    it('checks consent when the draft is sent, and starts the due date then', () => {
      const draft = history(proposeCommand({ toAgency: CLUB }));
      expectError(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY } }, at('2026-03-09')), 'consent-or-legal-basis-required');
      const [event] = eventsOf(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY, consent: CONSENT_FOR_JOBS } }, at('2026-03-09')));
      expect(event?.type === 'ReferralSent' && [event.data.sentOn, event.data.dueOn]).toEqual(['2026-03-09', '2026-03-23']);
    });

    it('only the sender sends its draft, and only once', () => {
      const draft = history(proposeCommand());
      expectError(given(draft).when({ type: 'SendReferral', data: { byAgency: EMPLOYMENT } }), 'not-the-sender');
      expectError(given(sent()).when({ type: 'SendReferral', data: { byAgency: FACILITY } }), 'not-a-draft');
    });

    it('a draft cannot be answered before it is sent', () => {
      expectError(given(history(proposeCommand())).when(accept(EMPLOYMENT)), 'referral-not-pending');
    });

    it('the sender can drop its draft', () => {
      const result = given(history(proposeCommand())).when({ type: 'WithdrawReferral', data: { byAgency: FACILITY } });
      expect(replay([...history(proposeCommand()), ...eventsOf(result)]).status).toBe('WITHDRAWN');
    });
  });

  describe('answers by the receiver', () => {
    it('accepts, even after the due date', () => {
      expect(given(sent()).when(accept(EMPLOYMENT), at('2026-04-01'))).toEqual([
        { type: 'ReferralAccepted', data: { by: EMPLOYMENT, acceptedOn: '2026-04-01' } },
      ]);
    });

    it('only the current receiver answers', () => {
      expectError(given(sent()).when(accept(POLICE)), 'not-the-receiver');
      expectError(given(sent()).when(accept(FACILITY)), 'not-the-receiver');
    });

    it('nothing can be answered on a referral that does not exist', () => {
      expectError(given([]).when(accept(EMPLOYMENT)), 'referral-not-found');
    });

    it('refuses a second answer', () => {
      const accepted = [...sent(), ...eventsOf(given(sent()).when(accept(EMPLOYMENT)))];
      expectError(given(accepted).when(accept(EMPLOYMENT)), 'referral-not-pending');
      expectError(given(accepted).when(decline(EMPLOYMENT, 'NO_CAPACITY')), 'referral-not-pending');
    });

    it('declines with a coded reason', () => {
      expect(given(sent()).when(decline(EMPLOYMENT, 'NO_CAPACITY'))).toEqual([
        { type: 'ReferralDeclined', data: { by: EMPLOYMENT, declinedOn: '2026-03-06', reason: 'NO_CAPACITY', note: null } },
      ]);
    });

    it('refuses a decline without a reason code', () => {
      expectError(given(sent()).when(decline(EMPLOYMENT, undefined as never)), 'decline-reason-required');
      expectError(given(sent()).when(decline(EMPLOYMENT, 'BUSY' as never)), 'decline-reason-required');
    });

    it('OTHER needs an explanation', () => {
      expectError(given(sent()).when(decline(EMPLOYMENT, 'OTHER')), 'decline-note-required');
      expectError(given(sent()).when(decline(EMPLOYMENT, 'OTHER', '   ')), 'decline-note-required');
      const [event] = eventsOf(given(sent()).when(decline(EMPLOYMENT, 'OTHER', 'moved to another province')));
      expect(event?.type === 'ReferralDeclined' && event.data.note).toBe('moved to another province');
    });

    it('a declined referral is closed', () => {
      const declined = [...sent(), ...eventsOf(given(sent()).when(decline(EMPLOYMENT, 'NOT_ELIGIBLE')))];
      expectError(given(declined).when(accept(EMPLOYMENT)), 'referral-closed');
      expectError(given(declined).when({ type: 'WithdrawReferral', data: { byAgency: FACILITY } }), 'referral-closed');
    });

    it('refuses a command dated before the last recorded day (clock gone back)', () => {
      expectError(given(sent()).when(accept(EMPLOYMENT), at('2026-03-05')), 'date-before-previous-event');
    });
  });

  describe('redirect', () => {
    it('passes the referral on, keeps the chain and restarts the due date from the redirect day', () => {
      const result = given(sent()).when(redirect(EMPLOYMENT, HOME_AFFAIRS), at('2026-03-10'));
      expect(result).toEqual([
        {
          type: 'ReferralRedirected',
          data: {
            by: EMPLOYMENT,
            to: { code: HOME_AFFAIRS, type: 'HOME_AFFAIRS' },
            redirectedOn: '2026-03-10',
            dueOn: '2026-03-24',
            legalBasis: null,
            note: null,
          },
        },
      ]);
      const state = replay([...sent(), ...eventsOf(result)]);
      expect([state.status, state.to?.code, state.chain.map((a) => a.code)]).toEqual(['REDIRECTED', HOME_AFFAIRS, [EMPLOYMENT, HOME_AFFAIRS]]);
    });

    it('the new receiver answers, the old one no longer can', () => {
      const redirected = history(createCommand(), redirect(EMPLOYMENT, HOME_AFFAIRS));
      expect(errorCode(given(redirected).when(accept(HOME_AFFAIRS)))).toBe('no error');
      expectError(given(redirected).when(accept(EMPLOYMENT)), 'not-the-receiver');
    });

    it('refuses a redirect to itself, to the sender or back along the chain', () => {
      expectError(given(sent()).when(redirect(EMPLOYMENT, EMPLOYMENT)), 'redirect-to-current-receiver');
      expectError(given(sent()).when(redirect(EMPLOYMENT, FACILITY)), 'redirect-to-sender');
      const twice = history(createCommand(), redirect(EMPLOYMENT, HOME_AFFAIRS));
      expectError(given(twice).when(redirect(HOME_AFFAIRS, EMPLOYMENT)), 'redirect-to-earlier-receiver');
      expect(errorCode(given(twice).when(redirect(HOME_AFFAIRS, CLUB, { legalBasis: LEGAL_BASIS })))).toBe('no error');
    });

    it('refuses a redirect to an agency that does not provide the service', () => {
      expectError(given(sent()).when(redirect(EMPLOYMENT, COMMUNE)), 'receiver-cannot-provide-service');
      expectError(given(sent()).when(redirect(EMPLOYMENT, 'somewhere')), 'unknown-agency');
    });

    it('checks consent again for a non-state receiver', () => {
      expectError(given(sent()).when(redirect(EMPLOYMENT, CLUB)), 'consent-or-legal-basis-required');
      const withConsent = history(createCommand({ consent: CONSENT_FOR_JOBS }));
      expect(errorCode(given(withConsent).when(redirect(EMPLOYMENT, CLUB)))).toBe('no error');
    });

    it('cannot redirect after the referral was accepted', () => {
      const accepted = history(createCommand(), accept(EMPLOYMENT));
      expectError(given(accepted).when(redirect(EMPLOYMENT, HOME_AFFAIRS)), 'referral-not-pending');
    });
  });

  describe('withdrawal by the sender', () => {
    it('withdraws a referral still waiting', () => {
      expect(given(sent()).when({ type: 'WithdrawReferral', data: { byAgency: FACILITY, note: 'person moved' } })).toEqual([
        { type: 'ReferralWithdrawn', data: { by: FACILITY, withdrawnOn: '2026-03-06', note: 'person moved' } },
      ]);
    });

    it('only the sender withdraws', () => {
      expectError(given(sent()).when({ type: 'WithdrawReferral', data: { byAgency: EMPLOYMENT } }), 'not-the-sender');
    });

    it('not once accepted', () => {
      expectError(
        given(history(createCommand(), accept(EMPLOYMENT))).when({ type: 'WithdrawReferral', data: { byAgency: FACILITY } }),
        'withdraw-after-acceptance',
      );
    });
  });

  describe('completion', () => {
    const accepted = () => history(createCommand(), accept(EMPLOYMENT));

    it('the receiver completes an accepted referral with a coded outcome and an optional note', () => {
      expect(given(accepted()).when({ type: 'CompleteReferral', data: { byAgency: EMPLOYMENT, outcome: 'SERVICE_PROVIDED', note: 'placed' } })).toEqual([
        { type: 'ReferralCompleted', data: { by: EMPLOYMENT, completedOn: '2026-03-06', outcome: 'SERVICE_PROVIDED', note: 'placed' } },
      ]);
    });

    it('refuses completing a referral not accepted, an unknown outcome, or by another agency', () => {
      expectError(given(sent()).when({ type: 'CompleteReferral', data: { byAgency: EMPLOYMENT, outcome: 'SERVICE_PROVIDED' } }), 'referral-not-accepted');
      expectError(given(accepted()).when({ type: 'CompleteReferral', data: { byAgency: EMPLOYMENT, outcome: 'DONE' as never } }), 'unknown-outcome');
      expectError(given(accepted()).when({ type: 'CompleteReferral', data: { byAgency: FACILITY, outcome: 'SERVICE_PROVIDED' } }), 'not-the-receiver');
    });
  });

  describe('consent withdrawal', () => {
    it('is recorded by the sender or the receiver and flagged on the state', () => {
      for (const by of [FACILITY, CLUB]) {
        const result = given(sentToClub()).when(withdrawConsent(by, '2026-03-05'));
        expect(result).toEqual([{ type: 'ConsentWithdrawn', data: { recordedBy: by, withdrawnOn: '2026-03-05' } }]);
        const state = replay([...sentToClub(), ...eventsOf(result)]);
        expect([state.consentWithdrawn, state.consentWithdrawnOn]).toEqual([true, '2026-03-05']);
      }
    });

    it('refuses a withdrawal by a third agency, twice, without consent, or on a wrong date', () => {
      expectError(given(sentToClub()).when(withdrawConsent(POLICE)), 'not-a-party');
      const withdrawn = history(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS }), withdrawConsent(FACILITY));
      expectError(given(withdrawn).when(withdrawConsent(CLUB)), 'consent-already-withdrawn');
      expectError(given(history(createCommand({ toAgency: CLUB, legalBasis: LEGAL_BASIS }))).when(withdrawConsent(FACILITY)), 'no-consent-to-withdraw');
      expectError(given(sentToClub()).when(withdrawConsent(FACILITY, '2026-03-01')), 'consent-withdrawn-before-recorded');
      expectError(given(sentToClub()).when(withdrawConsent(FACILITY, '2026-03-07')), 'date-in-future');
    });

    it('still lets the receiver accept or decline, and complete', () => {
      const withdrawn = history(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS }), withdrawConsent(FACILITY));
      expect(errorCode(given(withdrawn).when(accept(CLUB)))).toBe('no error');
      expect(errorCode(given(withdrawn).when(decline(CLUB, 'CLIENT_REFUSED')))).toBe('no error');
      const accepted = [...withdrawn, ...eventsOf(given(withdrawn).when(accept(CLUB)))];
      expect(errorCode(given(accepted).when({ type: 'CompleteReferral', data: { byAgency: CLUB, outcome: 'CLIENT_DISCONTINUED' } }))).toBe('no error');
    });

    it('stops a redirect to a non-state receiver, unless a legal basis comes with it; a state receiver is fine', () => {
      const withdrawn = history(createCommand({ consent: CONSENT_FOR_JOBS }), withdrawConsent(FACILITY));
      expectError(given(withdrawn).when(redirect(EMPLOYMENT, CLUB)), 'consent-withdrawn');
      expect(errorCode(given(withdrawn).when(redirect(EMPLOYMENT, CLUB, { legalBasis: LEGAL_BASIS })))).toBe('no error');
      expect(errorCode(given(withdrawn).when(redirect(EMPLOYMENT, HOME_AFFAIRS)))).toBe('no error');
    });

    it('stops sending a draft to a non-state receiver', () => {
      const draft = history(proposeCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS }), withdrawConsent(FACILITY));
      expectError(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY } }), 'consent-withdrawn');
      // Nor can a fresh consent paper over the withdrawal; a legal basis can.
      expectError(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY, consent: CONSENT_FOR_JOBS } }), 'consent-already-withdrawn');
      expect(errorCode(given(draft).when({ type: 'SendReferral', data: { byAgency: FACILITY, legalBasis: LEGAL_BASIS } }))).toBe('no error');
    });

    it('is still recordable on a closed referral', () => {
      const done = history(createCommand({ toAgency: CLUB, consent: CONSENT_FOR_JOBS }), accept(CLUB), {
        type: 'CompleteReferral',
        data: { byAgency: CLUB, outcome: 'SERVICE_PROVIDED' },
      });
      expect(errorCode(given(done).when(withdrawConsent(FACILITY)))).toBe('no error');
    });
  });

  describe('overdue', () => {
    // Sent Friday 2026-03-06, due Friday 2026-03-20.
    it('is not overdue on the due date itself', () => {
      expect(given(sent()).when(markOverdue('2026-03-20'), at('2026-03-20'))).toEqual([]);
      expect(isOverdue(replay(sent()), '2026-03-20')).toBe(false);
    });

    it('fires the day after the due date, exactly once', () => {
      const first = given(sent()).when(markOverdue('2026-03-21'), at('2026-03-21'));
      expect(first).toEqual([{ type: 'ReferralOverdue', data: { receiver: EMPLOYMENT, dueOn: '2026-03-20', markedOn: '2026-03-21' } }]);
      const marked = [...sent(), ...eventsOf(first)];
      expect(replay(marked).overdue).toBe(true);
      expect(given(marked).when(markOverdue('2026-03-21'), at('2026-03-21'))).toEqual([]);
      expect(given(marked).when(markOverdue('2026-04-30'), at('2026-04-30'))).toEqual([]);
    });

    it('does not fire once accepted, declined or withdrawn', () => {
      for (const answer of [accept(EMPLOYMENT), decline(EMPLOYMENT, 'NO_CAPACITY'), { type: 'WithdrawReferral', data: { byAgency: FACILITY } } as const]) {
        const answered = history(createCommand(), answer);
        expect(given(answered).when(markOverdue('2026-04-01'), at('2026-04-01'))).toEqual([]);
        expect(isOverdue(replay(answered), '2026-04-01')).toBe(false);
      }
    });

    it('never fires for a draft, or a referral that does not exist, and never errors', () => {
      expect(given(history(proposeCommand())).when(markOverdue('2027-01-01'), at('2027-01-01'))).toEqual([]);
      expect(given([]).when(markOverdue('2027-01-01'), at('2027-01-01'))).toEqual([]);
      expect(given(sent()).when(markOverdue('not a date'), at('2027-01-01'))).toEqual([]);
    });

    it('ignores a `today` later than the real day', () => {
      expect(given(sent()).when(markOverdue('2026-03-21'), at('2026-03-20'))).toEqual([]);
    });

    it('a redirect gives the new receiver a new due date and a new chance to be marked', () => {
      const overdueThenRedirected = history(
        createCommand(),
        [markOverdue('2026-03-23'), at('2026-03-23')],
        [redirect(EMPLOYMENT, HOME_AFFAIRS), at('2026-03-23')],
      );
      const state = replay(overdueThenRedirected);
      expect([state.overdue, state.dueOn, state.overdueMarks]).toEqual([false, '2026-04-06', 1]);
      expect(given(overdueThenRedirected).when(markOverdue('2026-04-06'), at('2026-04-06'))).toEqual([]);
      expect(given(overdueThenRedirected).when(markOverdue('2026-04-07'), at('2026-04-07'))).toEqual([
        { type: 'ReferralOverdue', data: { receiver: HOME_AFFAIRS, dueOn: '2026-04-06', markedOn: '2026-04-07' } },
      ]);
    });
  });

  describe('catalogue due dates on the real calendar', () => {
    const dueOn = (sentOn: string, overrides: Parameters<typeof createCommand>[0]) => {
      const [event] = eventsOf(given([]).when(createCommand(overrides), at(sentOn)));
      return event?.type === 'ReferralSent' ? event.data.dueOn : 'no ReferralSent';
    };

    it('skips the weekend', () => {
      // Friday + 1 working day = Monday.
      expect(dueOn('2026-03-06', { toAgency: HEALTH_DEPT, serviceType: 'SHELTER' })).toBe('2026-03-09');
      expect(dueOn('2026-03-06', { toAgency: CLUB_2, serviceType: 'COUNSELLING', consent: CONSENT_FOR_JOBS })).toBe('2026-03-13');
      // Sent on a Saturday: counting starts on Monday.
      expect(dueOn('2026-03-07', { toAgency: HEALTH_DEPT, serviceType: 'SHELTER' })).toBe('2026-03-09');
    });

    it('halves the time for HIGH urgency, rounded up', () => {
      expect(dueOn('2026-03-06', { toAgency: CLUB_2, serviceType: 'COUNSELLING', urgency: 'HIGH', consent: CONSENT_FOR_JOBS })).toBe('2026-03-11');
      expect(dueOn('2026-03-06', { urgency: 'HIGH' })).toBe('2026-03-13');
    });

    it('skips Tết 2026 (16–20 February)', () => {
      expect(dueOn('2026-02-13', { toAgency: FACILITY, fromAgency: COMMUNE, serviceType: 'REHAB_ADMISSION' })).toBe('2026-02-25');
      expect(dueOn('2026-02-13', { toAgency: HEALTH_DEPT, serviceType: 'TRAFFICKING_VICTIM_SUPPORT' })).toBe('2026-02-23');
      expect(dueOn('2026-02-12', {})).toBe('2026-03-05');
    });

    it('skips the Hùng Kings day in lieu and 30 April–1 May 2026', () => {
      // Fri 24 Apr + 3: Mon 27 (in lieu for Sunday 26), Thu 30 and Fri 1 May are off: Tue, Wed, then Mon 4 May.
      expect(dueOn('2026-04-24', { toAgency: HEALTH, serviceType: 'HEALTH_HIV_METHADONE' })).toBe('2026-05-04');
    });
  });

  describe('receivers follow the agency table (DOLISA dissolved on 2025-03-01, ADR 0010)', () => {
    const BEFORE = at('2025-02-28');
    const FROM = at('2025-03-01');
    const sentOn = (when: Date, overrides: Parameters<typeof createCommand>[0]) => errorCode(given([]).when(createCommand(overrides), when));

    it.each([
      ['JOB_PLACEMENT', HOME_AFFAIRS],
      ['JOB_COUNSELLING', HOME_AFFAIRS],
      ['VOCATIONAL_TRAINING', EDUCATION],
      ['SHELTER', HEALTH_DEPT],
      ['COUNSELLING', HEALTH_DEPT],
      ['LEGAL_AID', HEALTH_DEPT],
    ] as const)('%s goes to DOLISA until 2025-02-28 and to %s from 2025-03-01', (serviceType, successor) => {
      expect(sentOn(BEFORE, { serviceType, toAgency: DOLISA })).toBe('no error');
      expectError(given([]).when(createCommand({ serviceType, toAgency: DOLISA }), FROM), 'agency-dissolved');
      expect(sentOn(FROM, { serviceType, toAgency: successor })).toBe('no error');
      if (successor !== HEALTH_DEPT)
        expectError(given([]).when(createCommand({ serviceType, toAgency: successor }), BEFORE), 'receiver-cannot-provide-service');
    });

    it('names the receivers of the day when it refuses', () => {
      const result = given([]).when(createCommand({ toAgency: DOLISA }), FROM);
      expect(Array.isArray(result) ? 'events' : result.message).toContain('JOB_PLACEMENT goes to EMPLOYMENT_CENTRE, SUPPORT_MODEL, NGO, HOME_AFFAIRS');
      const before = given([]).when(createCommand({ toAgency: HOME_AFFAIRS }), BEFORE);
      expect(Array.isArray(before) ? 'events' : before.message).toContain('JOB_PLACEMENT goes to EMPLOYMENT_CENTRE, SUPPORT_MODEL, NGO, DOLISA on 2025-02-28');
    });

    it('a referral sent to DOLISA before keeps DOLISA: stored events are not rewritten, DOLISA answers it', () => {
      const old = history([createCommand({ toAgency: DOLISA }), at('2024-11-20')]);
      expect(replay(old).to).toEqual({ code: DOLISA, type: 'DOLISA' });
      expect(errorCode(given(old).when(accept(DOLISA), at('2024-11-22')))).toBe('no error');
      // After the change no step may hand it to a DOLISA (the sender may still withdraw it).
      expectError(given(old).when(redirect(DOLISA, DOLISA.replace('22', '20')), FROM), 'agency-dissolved');
      expect(errorCode(given(old).when({ type: 'WithdrawReferral', data: { byAgency: FACILITY } }, FROM))).toBe('no error');
    });

    it('a redirect after the change cannot go to DOLISA', () => {
      expectError(given(sent()).when(redirect(EMPLOYMENT, DOLISA), at('2026-03-10')), 'agency-dissolved');
    });

    it('a DOLISA sender may refer until 2025-02-28, not from 2025-03-01', () => {
      expect(sentOn(BEFORE, { fromAgency: DOLISA })).toBe('no error');
      expectError(given([]).when(createCommand({ fromAgency: DOLISA }), FROM), 'agency-dissolved');
      expectError(given([]).when(proposeCommand({ fromAgency: DOLISA }), FROM), 'agency-dissolved');
    });

    it('trafficking-victim support: DOLISA before, the Department of Health from 2025-03-01', () => {
      expect(sentOn(BEFORE, { serviceType: 'TRAFFICKING_VICTIM_SUPPORT', toAgency: DOLISA })).toBe('no error');
      expect(sentOn(FROM, { serviceType: 'TRAFFICKING_VICTIM_SUPPORT', toAgency: HEALTH_DEPT })).toBe('no error');
      expect(sentOn(FROM, { serviceType: 'TRAFFICKING_VICTIM_SUPPORT', toAgency: DOLISA })).toBe('agency-dissolved');
    });
  });

  it('every error code is tested and has a plain-words message', () => {
    for (const [code, { message }] of Object.entries(REFERRAL_ERRORS)) {
      expect([code, message.length > 10]).toEqual([code, true]);
    }
    expect([...tested].sort()).toEqual(Object.keys(REFERRAL_ERRORS).sort());
  });
});
