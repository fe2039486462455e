import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, commandRoutesController, type CommandResult, type CommandRoute, type CommandRouteInput } from '@haidang/service-kit';
import { AcceptReferralRequestDto } from './accept-referral/accept-referral.request.dto';
import { CasesLookup } from './cases-lookup';
import { CompleteReferralRequestDto } from './complete-referral/complete-referral.request.dto';
import { DeclineReferralRequestDto } from './decline-referral/decline-referral.request.dto';
import type { ReferralCommand, ReferralEvent, ReferralState } from './domain';
import { RedirectReferralRequestDto } from './redirect-referral/redirect-referral.request.dto';
import { partyOf } from './referral-access';
import { referralErrors } from './referral-errors.http';
import { referral } from './referral.aggregate';
import { ReferralChangeResponseDto, type ConsentDto, type SharingLegalBasisDto } from './referral.dto';
import { SendReferralRequestDto } from './send-referral/send-referral.request.dto';
import { ensureSupportModelReceives, type SupportModelRegister } from './support-model-receivers';
import { SUPPORT_MODEL_REGISTER } from '../tokens';
import { WithdrawConsentRequestDto } from './withdraw-consent/withdraw-consent.request.dto';
import { WithdrawReferralRequestDto } from './withdraw-referral/withdraw-referral.request.dto';

/**
 * Every change to an existing referral: the kit's pipeline, with the referral's one authorization
 * rule: an agency that is no party to it (partyOf) gets 404, so its existence is not revealed.
 * Which party may take which step (sender, current receiver) is the decider's rule, by the agency
 * code of the verified token (`byAgency`), answered 403 with the rule in plain words.
 */
@Injectable()
export class ReferralChanges {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(CasesLookup) private readonly cases: CasesLookup,
    @Inject(SUPPORT_MODEL_REGISTER) private readonly supportModels: SupportModelRegister,
  ) {}

  execute(
    { id, principal, expected, idempotencyKey }: CommandRouteInput<object>,
    command: ReferralCommand,
    precheck?: (state: ReferralState) => Promise<void>,
  ): Promise<CommandResult<ReferralEvent>> {
    return this.pipeline.execute(referral, id, command, {
      expected,
      idempotencyKey,
      authorize: (state) => partyOf(principal, state) !== undefined,
      ...(precheck === undefined ? {} : { precheck }),
    });
  }

  /**
   * As at creation: before a draft is sent, cases is asked with the caller's token whether the
   * person may still be seen and was not erased since (404, 403, 422 person-erased, 503: nothing
   * sent). A retry asks nobody: its answer is the first one, or 409.
   */
  readonly personStillReferable = async (state: ReferralState): Promise<void> => {
    if (state.personId !== null) await this.cases.referablePerson(state.personId, 'the draft cannot be sent');
  };

  /** The receiver, when it is a support model, is in campaigns' register and active (422 otherwise); asked before deciding, never on a retry. */
  readonly receiverInRegister = (toAgency: string | null | undefined) => (): Promise<void> => ensureSupportModelReceives(this.supportModels, toAgency);
}

type Route<TBody extends object> = CommandRoute<ReferralChanges, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

// Fields are copied one by one, so nothing the DTO did not validate reaches the decider.
export const consentOf = (c: ConsentDto | undefined) =>
  c ? { given: c.given, recordedOn: c.recordedOn, scope: { services: [...c.scope.services], treatmentData: c.scope.treatmentData } } : null;
export const legalBasisOf = (b: SharingLegalBasisDto | undefined) =>
  b ? { decisionNo: b.decisionNo, decisionDate: b.decisionDate, lawArticle: b.lawArticle } : null;

/** The steps of an existing referral, each a declaration: path, policy action, body, and the command it makes. */
export const referralRoutes = [
  route({
    path: ':id/sending',
    action: 'referrals.manage-outgoing',
    summary:
      'The sender sends a draft; what is given here replaces what the draft held. Cases is asked about the person first (422 person-erased, 403, 503 nothing sent)',
    body: SendReferralRequestDto,
    run: (changes, input) =>
      changes.execute(
        input,
        {
          type: 'SendReferral',
          data: {
            byAgency: input.principal.agency.code,
            toAgency: input.body.toAgency ?? null,
            consent: consentOf(input.body.consent),
            legalBasis: legalBasisOf(input.body.legalBasis),
            dueBy: input.body.dueBy ?? null,
            reasonCode: input.body.reasonCode ?? null,
          },
        },
        async (state) => {
          await changes.receiverInRegister(input.body.toAgency ?? state.to?.code)();
          await changes.personStillReferable(state);
        },
      ),
  }),
  route({
    path: ':id/accept',
    action: 'referrals.respond',
    summary: 'The current receiver accepts the referral (late is allowed)',
    body: AcceptReferralRequestDto,
    run: (changes, input) => changes.execute(input, { type: 'AcceptReferral', data: { byAgency: input.principal.agency.code } }),
  }),
  route({
    path: ':id/decline',
    action: 'referrals.respond',
    summary: 'The current receiver declines, with a reason code (OTHER needs a short explanation)',
    body: DeclineReferralRequestDto,
    run: (changes, input) =>
      changes.execute(input, {
        type: 'DeclineReferral',
        data: { byAgency: input.principal.agency.code, reason: input.body.reason, note: input.body.note ?? null },
      }),
  }),
  route({
    path: ':id/redirect',
    action: 'referrals.respond',
    summary: 'The current receiver passes the referral on to another agency that provides the service',
    body: RedirectReferralRequestDto,
    run: (changes, input) =>
      changes.execute(
        input,
        {
          type: 'RedirectReferral',
          data: {
            byAgency: input.principal.agency.code,
            toAgency: input.body.toAgency,
            legalBasis: legalBasisOf(input.body.legalBasis),
            reasonCode: input.body.reasonCode ?? null,
            note: input.body.note ?? null,
          },
        },
        changes.receiverInRegister(input.body.toAgency),
      ),
  }),
  route({
    path: ':id/withdraw',
    action: 'referrals.manage-outgoing',
    summary: 'The sender withdraws a draft or a referral still waiting for an answer',
    body: WithdrawReferralRequestDto,
    run: (changes, input) =>
      changes.execute(input, { type: 'WithdrawReferral', data: { byAgency: input.principal.agency.code, note: input.body.note ?? null } }),
  }),
  route({
    path: ':id/completion',
    action: 'referrals.respond',
    summary: 'The receiver closes an accepted referral with its outcome',
    body: CompleteReferralRequestDto,
    run: (changes, input) =>
      changes.execute(input, {
        type: 'CompleteReferral',
        data: { byAgency: input.principal.agency.code, outcome: input.body.outcome, note: input.body.note ?? null },
      }),
  }),
  route({
    path: ':id/consent-withdrawal',
    action: 'referrals.record-consent-withdrawal',
    summary: 'The sender or the current receiver records that the person withdrew consent',
    body: WithdrawConsentRequestDto,
    run: (changes, input) =>
      changes.execute(input, { type: 'WithdrawConsent', data: { byAgency: input.principal.agency.code, withdrawnOn: input.body.withdrawnOn } }),
  }),
];

export const ReferralChangesHttpController = commandRoutesController<ReferralChanges>({
  name: 'ReferralChangesHttpController',
  path: 'api/v1/referrals',
  tag: 'referrals',
  service: ReferralChanges,
  errors: referralErrors,
  response: ReferralChangeResponseDto,
  responseDescription: '`ETag` is the new version; a broken rule is 422 (403 when your agency is not the party the step needs) with the rule in plain words',
  idempotencyDescription: 'A retry with the same key (and the same If-Match) records nothing and returns the first result',
  routes: referralRoutes,
});
