import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { validated, type HeaderSink } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { answerHttp, CommandPipeline, conditionsOf, httpErrorTable } from '@haidang/service-kit';
import { crossBorderPolicy } from '../../cross-border.policy';
import { PROTECTOR } from '../../tokens';
import { handedOverPerson } from '../handed-over-person.aggregate';

export class EraseHandedOverPersonRequestDto {
  @ApiProperty({ example: 'DP-2026-011', description: 'Reference of the erasure request or its legal basis: a code, never a description of the person' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$/, { message: 'reference must be a code of 2–64 letters, digits, . _ / -' })
  readonly reference!: string;
}

/** Erasing someone erased: 409, as in cases. */
export const handedOverPersonErrors = httpErrorTable({ resource: 'handed-over person', exampleVersion: 0, statuses: { 'already-erased': 409 } });

@ApiTags('handed-over-persons')
@ApiBearerAuth()
@Controller('api/v1/handed-over-persons')
export class EraseHandedOverPersonHttpController {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  /**
   * Crypto-shredding of one person named in a handover: their key first (nothing can reveal them
   * after that, whatever happens next), then the `HandedOverPersonErased` marker. The record, the
   * other persons and the seal are untouched. A retry is answered from the Idempotency-Key's record.
   */
  @Post(':id/erasure')
  @HttpCode(200)
  @Authorize('persons.erase')
  @ApiOperation({ summary: 'Erases the personal data of a person named in a handover (crypto-shredding); the record stays whole' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version of the person (0 when only recorded)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async erase(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(EraseHandedOverPersonRequestDto)) body: EraseHandedOverPersonRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ id: string; version: number; erased: true }> {
    const result = await this.pipeline.execute(
      handedOverPerson,
      id,
      { type: 'RecordErasure', data: { reference: body.reference } },
      {
        ...conditionsOf(ifMatch, rawKey, handedOverPersonErrors),
        authorize: (state) =>
          crossBorderPolicy.assertInScope(principal, 'persons.erase', { unitCodes: state.recorded ? [state.recorded.provinceCode] : [] }, jurisdiction),
        precheck: async (state) => {
          if (state.recorded !== null && !state.erased) await this.protector.erase(id, { by: principal.sub, reason: body.reference });
        },
      },
    );
    return { ...answerHttp(result, handedOverPersonErrors, res), erased: true };
  }
}
