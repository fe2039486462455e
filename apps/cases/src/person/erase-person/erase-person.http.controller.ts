import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated, type HeaderSink } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { vietnamDateOf } from '@haidang/calendar';
import { answerHttp, CommandPipeline, conditionsOf } from '@haidang/service-kit';
import { personErrors } from '../../cases-errors.http';
import { casesPolicy } from '../../cases.policy';
import { assertHoldsFunction } from '../../function-holder';
import { CLOCK, PROTECTOR } from '../../tokens';
import { person } from '../person.aggregate';
import { PERSON_SEARCH_KEYS, type PersonSearchKeys } from '../register-person/register-person.handler';
import { ErasePersonRequestDto } from './erase-person.request.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class ErasePersonHttpController {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(PERSON_SEARCH_KEYS) private readonly searchKeys: PersonSearchKeys,
  ) {}

  /**
   * Crypto-shredding: destroys the person's key, then appends the `PersonErased` marker (so the
   * read models drop their hashes). If the append fails after the key is gone, the person is still
   * erased (reads show `[erased]`); a retry appends the marker. A retry of an erasure that went
   * through is answered from the store's record of its Idempotency-Key.
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
    const result = await this.pipeline.execute(
      person,
      id,
      { type: 'RecordErasure', data: { personId: id, reason: body.reference } },
      {
        ...conditionsOf(ifMatch, rawKey, personErrors),
        authorize: (state) => {
          assertHoldsFunction(principal, 'DRUG_REHAB_STATE_MANAGEMENT', vietnamDateOf(this.clock()));
          if (state.status !== 'absent')
            casesPolicy.assertInScope(principal, 'persons.erase', { unitCodes: [state.registered.residence.communeCode] }, jurisdiction);
        },
        // The key goes first: once it is gone nothing can reveal the person, whatever happens to the marker.
        precheck: async (state) => {
          if (state.status === 'registered') await this.protector.erase(id, { by: principal.sub, reason: body.reference });
        },
      },
    );
    // The keyed hashes of name and ID go with the key (issue 10 §5); the persons projection deletes
    // them too on PersonErased, should this process stop between the append and here.
    if (result.ok) await this.searchKeys.erase(id);
    return { ...answerHttp(result, personErrors, res), erased: true };
  }
}
