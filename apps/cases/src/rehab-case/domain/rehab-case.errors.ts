import { domainErrors, isDomainError, type DomainError as KitDomainError } from '@haidang/decider';

/**
 * Named domain errors. The service's HTTP error table maps every one of them to 422; the message is meant for the
 * officer who sent the command, so it says what rule was broken in plain words and never echoes
 * personal data.
 */
export const REHAB_CASE_ERROR_MESSAGES = {
  'case-already-registered': 'this rehab case is already registered',
  'case-not-registered': 'the rehab case must be registered first',
  'case-closed': 'the rehab case is closed and cannot change',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'date-before-previous-event': 'a date cannot be earlier than the dates already recorded on the case',
  'missing-reference': 'the case, person and facility references must not be empty',
  'invalid-prior-courses': 'the number of earlier rehab courses must be a whole number, zero or more',
  'addiction-already-determined': 'the addiction status has already been determined for this case',
  'addiction-determination-after-start': 'the addiction status can only be determined before rehab starts',
  'not-addicted': 'no rehab form can be decided for a person determined not to be addicted',
  'form-already-decided': 'a rehab form has already been decided for this case',
  'no-legal-regime': 'no law in the table covers a decision of that date',
  'form-not-allowed': 'this rehab form is not allowed under the law that applies on the decision date',
  'compulsory-needs-court-decision': 'compulsory rehab needs a court decision',
  'compulsory-needs-addiction-determination': 'compulsory rehab needs a prior determination that the person is addicted',
  'wrong-issuing-body': 'this decision must be issued by a different body under the law that applies on the decision date',
  'decision-number-missing': 'the decision number must not be empty',
  'compulsory-under-minimum-age':
    'compulsory rehab cannot be ordered for a child under 12 years of age on the decision date (Law 73/2021 Art. 33 applies from full 12 years)',
  'cedemex-outside-pilot':
    'the Cedemex pilot applies only in its pilot localities (Cẩm Phả, Móng Cái, Uông Bí, Quảng Yên) and the provincial facility of Quảng Ninh, and only within the pilot period',
  'term-required': 'this rehab form needs a term in months',
  'term-not-applicable': 'this rehab form has no fixed term; leave the term empty',
  'term-out-of-range': 'the term is outside the range the law allows for this form',
  'rehab-before-form-decided': 'rehab cannot start before a form is decided',
  'rehab-already-started': 'rehab has already started',
  'start-before-decision': 'rehab cannot start before the date of the decision',
  'progress-note-outside-rehab': 'progress can only be noted while rehab is in progress, not before it starts or after it is completed or discontinued',
  'empty-progress-note': 'a progress note must not be empty',
  'term-reduction-outside-rehab': 'a term can only be reduced while rehab is in progress',
  'term-reduction-not-allowed-for-form': 'the term of this rehab form cannot be reduced',
  'term-reduction-before-half-served': 'a term can only be reduced after half of it has been served',
  'term-reduction-out-of-range': 'the reduction is outside the number of months the law allows',
  'term-reduction-exceeds-remaining-term': 'a reduction cannot end the term before the date of the reduction decision',
  'term-reduction-wrong-issuer':
    "this term can only be reduced by the body that set it: a compulsory term only by the court, on the facility's proposal; a facility cannot shorten a court-ordered term",
  'term-reduction-needs-proposal': "a court reduction of a compulsory term needs the facility's proposal (its number and date)",
  'term-reduction-proposal-after-decision': "the facility's proposal must be dated on or before the court decision",
  'term-already-reduced': 'the term has already been reduced as many times as the law allows',
  'completion-outside-rehab': 'rehab can only be completed while it is in progress',
  'completion-before-term-end': 'rehab cannot be completed before the end of its term',
  'discontinuation-outside-rehab': 'rehab can only be discontinued while it is in progress',
  'post-rehab-before-completion': 'post-rehab management cannot start before rehab is completed',
  'post-rehab-already-started': 'post-rehab management has already started',
  'post-rehab-start-before-decision': 'post-rehab management cannot start before the date of the commune decision',
  'post-rehab-term-out-of-range': 'the post-rehab management term is outside what the law allows',
  'relapse-before-completion': 'a relapse can only be recorded after rehab is completed',
  'relapse-already-recorded': 'a relapse has already been recorded on this case',
  'admission-after-end': 'a facility admission cannot be recorded on a case whose course has ended',
  'close-from-non-final-state': 'a case can only be closed once it has ended: not addicted, discontinued, relapsed or post-rehab management over',
  'not-addicted-needs-management':
    'a case found "not addicted" is not simply closed: the commune chair decides management of the illegal drug user (Law 73/2021 Art. 23–26) at POST /api/v1/drug-user-managements, and the closure names that management',
  'close-before-post-rehab-end': 'the case cannot be closed before post-rehab management ends',
} as const;

export type RehabCaseErrorCode = keyof typeof REHAB_CASE_ERROR_MESSAGES;

export type DomainError = KitDomainError<RehabCaseErrorCode>;

export const domainError = domainErrors<RehabCaseErrorCode>(REHAB_CASE_ERROR_MESSAGES);

export { isDomainError };
