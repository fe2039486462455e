import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { employmentRecordErrors } from '../../employment-errors.http';
import { assertEmploymentRecordInScope } from '../employment-record-access';
import { EMPLOYMENT_RECORD_STORE, type EmploymentRecordStore } from '../employment-record.aggregate';
import { EmploymentRecordResponseDto } from './employment-record.response.dto';

@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class GetEmploymentRecordHttpController {
  constructor(@Inject(EMPLOYMENT_RECORD_STORE) private readonly records: EmploymentRecordStore) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('employment-records.read')
  @ApiOkResponse({ type: EmploymentRecordResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<EmploymentRecordResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, employmentRecordErrors);
    assertEmploymentRecordInScope(principal, 'employment-records.read', state);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      status: state.status,
      personId: state.personId,
      communeCode: state.communeCode,
      provinceCode: state.provinceCode,
      openedOn: state.openedOn,
      need: state.need,
      referral:
        state.referral === null ? null : { referralId: state.referral.referralId, serviceType: state.referral.serviceType, outcome: state.referralOutcome },
      counsellingSessions: state.sessions,
      enrolments: Object.entries(state.enrolments).map(([enrolmentId, e]) => ({ enrolmentId, providerId: e.providerId, startOn: e.startOn, status: e.status })),
      placements: Object.entries(state.placements).map(([placementId, p]) => ({
        placementId,
        employerId: p.employerId,
        startOn: p.startOn,
        status: p.status,
        endedOn: p.endedOn,
        followUps: p.followUps.map((f) => ({ month: f.month, dueOn: f.dueOn, checkedOn: f.checkedOn, stillWorking: f.stillWorking })),
      })),
      closedOn: state.closedOn,
      outcome: state.closeOutcome,
    };
  }
}
