import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { HANDED_OVER_PERSON_STORE, type HandedOverPersonStore } from '../../handed-over-person/handed-over-person.aggregate';
import { handedOverPersonsView, SHOWN_PERSONAL_FIELDS } from '../../handed-over-person/handed-over-persons-view';
import { EVENT_STORE, PROTECTOR } from '../../tokens';
import { assertCooperationRecordInScope, handlesPersons } from '../cooperation-record-access';
import { COOPERATION_RECORD_STORE, type CooperationRecordStore } from '../cooperation-record.aggregate';
import { CooperationRecordResponseDto } from './cooperation-record.response.dto';

/** The purpose code of a read of a handed-over person's name (access log). */
export const HANDOVER_PERSON_READ_PURPOSE = 'handover-review';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class GetCooperationRecordHttpController {
  constructor(
    @Inject(COOPERATION_RECORD_STORE) private readonly records: CooperationRecordStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(HANDED_OVER_PERSON_STORE) private readonly persons: HandedOverPersonStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('records.read')
  @ApiOkResponse({ type: CooperationRecordResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<CooperationRecordResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.content === null) throw problemOf({ kind: 'not-found' }, cooperationRecordErrors);
    assertCooperationRecordInScope(principal, 'records.read', state.content.provinceCode, state.content.kind);
    let persons: unknown = null;
    if (state.personIds.length > 0 && handlesPersons(principal, state.content.provinceCode))
      // Each name shown is in that person's access log first (who, when, which fields), as cases does for its persons.
      persons = await handedOverPersonsView(this.persons, this.protector, state.personIds, async (personId) => {
        await recordAccess(this.store, { subjectId: personId, action: 'read', purpose: HANDOVER_PERSON_READ_PURPOSE, fields: [...SHOWN_PERSONAL_FIELDS] });
      });
    res.setHeader('ETag', etagOf(version));
    const { recordId: _recordId, ...content } = state.content;
    return { id, version, status: state.status, ...content, seal: state.seal, persons };
  }
}
