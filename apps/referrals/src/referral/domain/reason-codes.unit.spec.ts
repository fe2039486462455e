import { SERVICE_TYPES } from './referral-catalogue.data';
import { ALL_REASON_CODES, REASON_CODES, type ReasonCodeEntry } from './reason-codes.data';
import { isReasonCodeOf, reasonCodesOf, reasonLabelOf, receiverSeesReasonText, type ReasonGround } from './reason-codes';

/** Words that tell of addiction, rehab, drugs, HIV or treatment: a label shown instead of the free text must carry none. */
const TREATMENT_WORDS = /cai nghiện|nghiện|ma túy|heroin|methadone|HIV|AIDS|điều trị|tái nghiện|rehab|addict|drug|treatment|relapse|substitution|opioid/i;

describe('reason codes per service type (issue 10 §10)', () => {
  it.each(SERVICE_TYPES)('%s has at least one code, each labelled in Vietnamese and English', (serviceType) => {
    const entries: readonly ReasonCodeEntry[] = REASON_CODES[serviceType];
    expect(entries.length).toBeGreaterThan(0);
    for (const { code, label } of entries) {
      expect([code, /^[A-Z][A-Z_]+[A-Z]$/.test(code)]).toEqual([code, true]);
      expect([code, label.vi.trim().length > 3, label.en.trim().length > 3]).toEqual([code, true, true]);
      // Vietnamese, not the English copied over.
      expect([code, label.vi]).not.toEqual([code, label.en]);
    }
  });

  it('has codes unique across every list, so a code alone names its label', () => {
    expect(new Set(ALL_REASON_CODES).size).toBe(ALL_REASON_CODES.length);
    expect(ALL_REASON_CODES.length).toBe(SERVICE_TYPES.reduce((n, s) => n + REASON_CODES[s].length, 0));
    expect(reasonLabelOf('NO_SAFE_HOME')).toEqual({ vi: 'Không có chỗ ở an toàn', en: 'Has no safe place to live' });
    expect(reasonLabelOf('NOT_A_CODE')).toBeNull();
  });

  it('has labels that carry no treatment data, in either language', () => {
    for (const serviceType of SERVICE_TYPES)
      for (const { code, label } of REASON_CODES[serviceType as keyof typeof REASON_CODES] as readonly ReasonCodeEntry[]) {
        expect([code, label.vi]).toEqual([code, expect.not.stringMatching(TREATMENT_WORDS)]);
        expect([code, label.en]).toEqual([code, expect.not.stringMatching(TREATMENT_WORDS)]);
      }
  });

  it('knows which codes belong to which service type', () => {
    expect(reasonCodesOf('SHELTER')).toEqual(['NO_SAFE_HOME', 'RETURNED_FROM_ABROAD', 'TEMPORARY_SHELTER']);
    expect(isReasonCodeOf('SHELTER', 'NO_SAFE_HOME')).toBe(true);
    expect(isReasonCodeOf('JOB_PLACEMENT', 'NO_SAFE_HOME')).toBe(false);
    expect(isReasonCodeOf('JOB_PLACEMENT', 42)).toBe(false);
  });

  describe('who reads the free text instead of the code', () => {
    const ground = (overrides: Partial<ReasonGround>): ReasonGround => ({
      receiverType: 'SUPPORT_MODEL',
      hasLegalBasis: false,
      consentCoversService: true,
      consentCoversTreatmentData: false,
      consentWithdrawn: false,
      ...overrides,
    });

    it('a state body always', () => {
      expect(receiverSeesReasonText(ground({ receiverType: 'EMPLOYMENT_CENTRE' }))).toBe(true);
      expect(receiverSeesReasonText(ground({ receiverType: 'COMMUNE', consentCoversService: false }))).toBe(true);
    });

    it('a non-state receiver only on a ground covering treatment data: a legal basis, or a consent in force covering it', () => {
      expect(receiverSeesReasonText(ground({}))).toBe(false);
      expect(receiverSeesReasonText(ground({ receiverType: 'NGO' }))).toBe(false);
      expect(receiverSeesReasonText(ground({ consentCoversTreatmentData: true }))).toBe(true);
      expect(receiverSeesReasonText(ground({ consentCoversTreatmentData: true, consentWithdrawn: true }))).toBe(false);
      expect(receiverSeesReasonText(ground({ consentCoversService: false, hasLegalBasis: true }))).toBe(true);
    });
  });
});
