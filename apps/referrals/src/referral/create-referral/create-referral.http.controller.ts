import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { idempotencyKeyFrom, ProblemHttpException, validated, validationProblem, type HeaderSink } from '@haidang/http-platform';
import { answerHttp } from '@haidang/service-kit';
import { referralErrors } from '../referral-errors.http';
import { CreateReferralResponseDto, EXAMPLE_CASE_ID, EXAMPLE_PERSON_ID } from '../referral.dto';
import { whatTheReceiverSees } from '../referral-reason';
import { CreateReferralHandler } from './create-referral.handler';
import { CreateReferralRequestDto } from './create-referral.request.dto';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class CreateReferralHttpController {
  constructor(@Inject(CreateReferralHandler) private readonly handler: CreateReferralHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('referrals.create')
  @ApiOperation({
    summary: 'Refers a person from your agency to another for a service',
    description:
      'The sender is your agency (from your token). The person (and the case, when given) are checked with the cases service under your ' +
      'token: 404 when absent, 403 when your agency may not see them, 503 when cases does not answer (nothing is recorded). A non-state ' +
      'receiver (SUPPORT_MODEL, NGO) needs the person’s consent covering the service, or a legal basis; without consent to treatment data ' +
      'or a legal basis it never sees your free-text reason, only `reasonCode` (required then: 422 reason-code-required), and the answer ' +
      'says so (`receiverSees`, `warning`). `draft: true` keeps it in your outbox.',
  })
  @ApiBody({
    type: CreateReferralRequestDto,
    examples: {
      jobPlacement: {
        summary: 'A commune refers a person after rehab to the employment centre',
        value: {
          personId: EXAMPLE_PERSON_ID,
          caseId: EXAMPLE_CASE_ID,
          toAgency: '22-EMPLOYMENT_CENTRE',
          serviceType: 'JOB_PLACEMENT',
          reason: 'Completed community rehab; wants work near home.',
          urgency: 'NORMAL',
        },
      },
      counsellingWithConsent: {
        summary: 'To an after-care club (non-state): with the person’s consent',
        value: {
          personId: EXAMPLE_PERSON_ID,
          toAgency: '22-SUPPORT_MODEL-3',
          serviceType: 'COUNSELLING',
          reason: 'Asks for peer support after discharge.',
          reasonCode: 'PEER_SUPPORT',
          urgency: 'HIGH',
          consent: { given: true, recordedOn: '2026-11-20', scope: { services: ['COUNSELLING'], treatmentData: false } },
        },
      },
    },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({
    type: CreateReferralResponseDto,
    description: 'Recorded; `ETag` is the version, `Location` the referral; `receiverSees` tells what the receiver will see of the reason',
    examples: {
      codeOnly: {
        summary: 'To an after-care club without consent to treatment data: it sees the code only',
        value: {
          id: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d20',
          version: 0,
          receiverSees: 'reason-code-only',
          warning:
            'The receiver 22-SUPPORT_MODEL-3 is a non-state agency without the person’s consent to treatment data or a legal basis: it sees only the coded reason PEER_SUPPORT (Cần hỗ trợ đồng đẳng / Asks for peer support), never your free text.',
        },
      },
      text: {
        summary: 'To a state agency: it reads your text',
        value: { id: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d20', version: 0, receiverSees: 'reason-text' },
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'A rule is broken, in plain words: e.g. the receiver does not provide the service, or consent is missing for a non-state receiver',
  })
  async create(
    @Body(validated(CreateReferralRequestDto)) body: CreateReferralRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<CreateReferralResponseDto> {
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    if (body.draft === true && body.dueBy !== undefined) {
      throw new ProblemHttpException(
        validationProblem([{ field: 'dueBy', message: 'a draft gets its due date when it is sent: give dueBy with the sending' }]),
      );
    }
    const answer = answerHttp(await this.handler.handle(body, principal, idempotencyKey), referralErrors, res, (id) => `/api/v1/referrals/${id}`);
    // A draft reaches nobody yet: what its receiver sees is decided when it is sent. A retry under the
    // same key carries the same body (the key's fingerprint), so it gets the same words.
    if (body.draft === true || body.toAgency === undefined) return answer;
    return { ...answer, ...whatTheReceiverSees(body.toAgency, body.serviceType, body.consent ?? null, body.legalBasis !== undefined, body.reasonCode ?? null) };
  }
}
