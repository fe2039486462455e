import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { RehabCaseChangeResponseDto } from '../legal-basis.dto';
import { PersonFacts } from '../person-facts';
import { RehabCaseCommands, type RehabCaseChange } from '../rehab-case-commands';
import { etagOf, type HeaderSink } from '../rehab-case-http';
import { DecideRehabFormRequestDto } from './decide-rehab-form.request.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class DecideRehabFormHttpController {
  constructor(
    @Inject(RehabCaseCommands) private readonly commands: RehabCaseCommands,
    @Inject(PersonFacts) private readonly personFacts: PersonFacts,
  ) {}

  @Post(':id/form-decision')
  @HttpCode(200)
  @Authorize('rehab-cases.manage')
  @ApiOperation({
    summary: 'Records the form decision of a case registered without a form (for compulsory rehab: the court decision)',
    description:
      'Compulsory rehab: register without a form, record the addiction determination, then this decision (COMPULSORY_FACILITY, issued by COURT). ' +
      'Recorded by an agency that manages the decided form (for a facility stay, the provincial facility).',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the case read: 428 when missing, 409 when stale' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key (and the same If-Match) appends nothing' })
  @ApiOkResponse({ type: RehabCaseChangeResponseDto, description: '`ETag` is the new version' })
  @ApiUnprocessableEntityResponse({ description: 'A rule is broken, in plain words, e.g. "compulsory rehab needs a prior determination that the person is addicted"' })
  async handle(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(DecideRehabFormRequestDto)) body: DecideRehabFormRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<RehabCaseChange> {
    const result = await this.commands.execute(
      id,
      principal,
      ifMatch,
      rawKey,
      {
        type: 'DecideRehabForm',
        data: {
          form: body.form,
          legalBasis: { decisionNo: body.legalBasis.decisionNo, decisionDate: body.legalBasis.decisionDate, issuedBy: body.legalBasis.issuedBy },
          // Replaced below by the person's age group on the decision date.
          ageGroup: 'ADULT',
          termMonths: body.termMonths ?? null,
          facilityId: body.facilityId ?? null,
        },
      },
      async (command, state) =>
        command.type === 'DecideRehabForm' && state.personId !== null
          ? { ...command, data: { ...command.data, ageGroup: await this.personFacts.ageGroupOn(state.personId, command.data.legalBasis.decisionDate) } }
          : command,
    );
    res.setHeader('ETag', etagOf(result.version));
    return result;
  }
}
