import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import { problemOf } from '@haidang/service-kit';
import { rehabCaseErrors } from '../../cases-errors.http';
import { RehabCaseAccess } from '../rehab-case-access';
import { REHAB_CASE_STORE, type RehabCaseStore } from '../rehab-case.aggregate';
import { RehabCaseResponseDto } from './rehab-case.response.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class GetRehabCaseHttpController {
  constructor(
    @Inject(REHAB_CASE_STORE) private readonly cases: RehabCaseStore,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
  ) {}

  @Get(':id')
  @Authorize('rehab-cases.read')
  @ApiOkResponse({ type: RehabCaseResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<RehabCaseResponseDto> {
    const { state: s, version } = await this.cases.load(id);
    if (s.status === 'NONE') throw problemOf({ kind: 'not-found' }, rehabCaseErrors);
    await this.access.authorizeRead(principal, 'rehab-cases.read', id, s);
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
      nextStep: s.nextStep,
      drugUserManagementId: s.drugUserManagementId,
    };
  }
}
