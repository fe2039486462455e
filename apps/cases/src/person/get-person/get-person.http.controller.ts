import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import { problemOf } from '@haidang/service-kit';
import { personErrors } from '../../cases-errors.http';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { personSubject, ReadAccess } from '../../read-access';
import { EVENT_STORE, PROTECTOR } from '../../tokens';
import { PERSON_STORE, REGISTERED_PERSONAL_FIELDS, type PersonStore, type RegisteredPersonalField } from '../person.aggregate';
import type { PersonRegisteredV1 } from '../domain';
import { PersonResponseDto } from './person.response.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class GetPersonHttpController {
  constructor(
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(ReadAccess) private readonly reads: ReadAccess,
  ) {}

  /** One person, decrypted (or `[erased]`); the read is recorded (with the break-glass grant that allowed it, if one did) before anything is shown. */
  @Get(':id')
  @Authorize('persons.read')
  @ApiOkResponse({ type: PersonResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<PersonResponseDto> {
    const { state, version } = await this.persons.load(id);
    if (state.status === 'absent') throw problemOf({ kind: 'not-found' }, personErrors);
    const registered = state.registered;
    const allowed = await this.reads.authorize(principal, 'persons.read', { unitCodes: [registered.residence.communeCode] }, [personSubject(id)]);
    await recordAccess(this.store, {
      subjectId: id,
      action: 'read',
      fields: [...REGISTERED_PERSONAL_FIELDS],
      ...(allowed.via === 'break-glass' ? { purpose: 'break-glass', breakGlassGrantId: allowed.grantId } : { purpose: 'case-review' }),
    });
    const shown = await this.protector.reveal<PersonRegisteredV1, RegisteredPersonalField>(id, registered, REGISTERED_PERSONAL_FIELDS);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      erased: state.status === 'erased',
      fullName: shown.fullName,
      personalId: shown.personalId ?? null,
      dateOfBirth: shown.dateOfBirth,
      sex: registered.sex,
      residence: { provinceCode: registered.residence.provinceCode, communeCode: registered.residence.communeCode, address: shown.address },
      phone: shown.phone ?? null,
    };
  }
}
