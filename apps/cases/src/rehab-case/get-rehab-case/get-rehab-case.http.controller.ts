import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { RehabCaseAccess } from '../rehab-case-access';
import { caseNotFound, etagOf, type HeaderSink } from '../rehab-case-http';
import { RehabCaseRepository } from '../rehab-case.repository';
import { RehabCaseResponseDto } from './rehab-case.response.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class GetRehabCaseHttpController {
  constructor(
    @Inject(RehabCaseRepository) private readonly cases: RehabCaseRepository,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
  ) {}

  @Get(':id')
  @Authorize('rehab-cases.read')
  @ApiOkResponse({ type: RehabCaseResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink): Promise<RehabCaseResponseDto> {
    const { state: s, version } = await this.cases.load(id);
    if (s.status === 'NONE') throw caseNotFound();
    await this.access.assertInScope(principal, 'rehab-cases.read', s);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      status: s.status,
      personId: s.personId,
      addiction: s.addiction,
      form: s.form,
      legalBasis: s.formDecision,
      regime: s.regime,
      termMonths: s.termMonths,
      reducedMonths: s.reducedMonths,
      startedOn: s.startedOn,
      expectedEndOn: s.expectedEndOn,
      completedOn: s.completedOn,
      discontinuationReason: s.discontinuationReason,
      postRehab: s.postRehab,
      relapse: s.relapse,
      closedOn: s.closedOn,
    };
  }
}
