import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import { answerHttp, type ChangeAnswer } from '@haidang/service-kit';
import { rehabCaseErrors } from '../../cases-errors.http';
import { RehabCaseChangeResponseDto } from '../legal-basis.dto';
import { RegisterRehabCaseHandler } from './register-rehab-case.handler';
import { RegisterRehabCaseRequestDto } from './register-rehab-case.request.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class RegisterRehabCaseHttpController {
  constructor(@Inject(RegisterRehabCaseHandler) private readonly handler: RegisterRehabCaseHandler) {}

  @Post()
  @HttpCode(201)
  @Authorize('rehab-cases.register')
  @ApiOperation({
    summary: 'Registers a rehab case, with its form (voluntary) or without (compulsory)',
    description:
      'Voluntary rehab: one call with `form` and `legalBasis` appends the registration and the form decision together. ' +
      'Compulsory rehab is registered without a form (only the registration is appended), then the addiction determination ' +
      "(`POST /api/v1/rehab-cases/{id}/addiction-determination`), then the court's form decision " +
      '(`POST /api/v1/rehab-cases/{id}/form-decision`, issued by COURT). A case without a form is registered and managed by an ' +
      'agency that manages some rehab form within its scope (the residence commune, the provincial facility).',
  })
  @ApiBody({
    type: RegisterRehabCaseRequestDto,
    examples: {
      voluntary: {
        summary: 'Voluntary rehab in the community, form decided at registration',
        value: {
          personId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10',
          source: 'SELF_DECLARATION',
          form: 'VOLUNTARY_COMMUNITY',
          legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
          termMonths: 6,
        },
      },
      compulsory: {
        summary: 'Compulsory rehab: registered without a form; determination and court decision follow',
        value: { personId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10', source: 'POLICE_DETECTION', registeredOn: '2026-08-03' },
      },
    },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and registers nothing' })
  @ApiCreatedResponse({
    type: RehabCaseChangeResponseDto,
    description: 'Registered (with its form decided when one was given); `ETag` is the version, `Location` the case',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'A rule of the law that applies on the decision date is broken, e.g. "compulsory rehab needs a prior determination that the person is addicted": a compulsory form cannot be registered before an addiction determination',
  })
  async register(
    @Body(validated(RegisterRehabCaseRequestDto)) body: RegisterRehabCaseRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.handler.handle(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, rehabCaseErrors, res, (id) => `/api/v1/rehab-cases/${id}`);
  }
}
