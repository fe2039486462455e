import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { WrongExpectedVersionError } from '@haidang/event-store';
import { jurisdiction } from '@haidang/jurisdiction';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { casesPolicy } from '../../cases.policy';
import { validated } from '@haidang/http-platform';
import { PROTECTOR } from '../../tokens';
import { decidePerson, type PersonErasedV1 } from '../person.decider';
import { etagOf, idempotencyKeyFrom, notFound, personErrorToHttp, staleVersion, versionFromIfMatch } from '../person-http';
import type { HeaderSink } from '../person-http';
import { PersonRepository } from '../person.repository';
import { ErasePersonRequestDto } from './erase-person.request.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class ErasePersonHttpController {
  constructor(
    @Inject(PersonRepository) private readonly persons: PersonRepository,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  /**
   * Crypto-shredding: destroys the person's key, then appends the `PersonErased` marker (so the
   * read models drop their hashes). If the append fails after the key is gone, the person is still
   * erased (reads show `[erased]`); a retry appends the marker.
   */
  @Post(':id/erasure')
  @HttpCode(200)
  @Authorize('persons.erase')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the person read' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async erase(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(ErasePersonRequestDto)) body: ErasePersonRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; version: number; erased: true }> {
    const expected = versionFromIfMatch(ifMatch);
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    const { state, version } = await this.persons.load(id);
    if (state.status === 'absent') throw notFound();
    casesPolicy.assertInScope(principal, 'persons.erase', { unitCodes: [state.registered.residence.communeCode] }, jurisdiction);
    const marker: PersonErasedV1 = { personId: id, reason: body.reference };
    if (expected !== version) {
      // A retry of a request that succeeded: the store answers it from its idempotency record.
      if (idempotencyKey !== undefined && state.status === 'erased') {
        try {
          const replayed = await this.persons.append(id, [{ type: 'PersonErased', data: marker }], BigInt(expected), idempotencyKey);
          res.setHeader('ETag', etagOf(replayed));
          return { id, version: replayed, erased: true };
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) throw staleVersion();
          throw error;
        }
      }
      throw staleVersion();
    }
    const events = decidePerson({ type: 'RecordErasure', data: marker }, state);
    if (typeof events === 'string') throw personErrorToHttp(events);
    await this.protector.erase(id, { by: principal.sub, reason: body.reference });
    try {
      const next = await this.persons.append(id, events, BigInt(expected), idempotencyKey);
      res.setHeader('ETag', etagOf(next));
      return { id, version: next, erased: true };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw staleVersion();
      throw error;
    }
  }
}
