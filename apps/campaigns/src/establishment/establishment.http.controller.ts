import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { establishmentErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { assertEstablishmentInScope, EstablishmentCommands } from './establishment-commands';
import { ESTABLISHMENT_STORE, type EstablishmentStore } from './establishment.aggregate';
import { RegisterEstablishmentRequestDto } from './establishment.dto';

@ApiTags('establishments')
@ApiBearerAuth()
@Controller('api/v1/establishments')
export class EstablishmentHttpController {
  constructor(
    @Inject(EstablishmentCommands) private readonly commands: EstablishmentCommands,
    @Inject(ESTABLISHMENT_STORE) private readonly establishments: EstablishmentStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('establishments.register')
  @ApiOperation({ summary: 'Registers an industrial or economic zone, or a school with its level (the denominators of plan targets)' })
  @ApiBody({ type: RegisterEstablishmentRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto })
  async register(
    @Body(validated(RegisterEstablishmentRequestDto)) body: RegisterEstablishmentRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    return answerHttp(
      await this.commands.register(body, principal, idempotencyKeyFrom(rawKey)),
      establishmentErrors,
      res,
      (id) => `/api/v1/establishments/${id}`,
    );
  }

  @Get(':id')
  @Authorize('establishments.read')
  @ApiOkResponse({ description: '`ETag` is the version to send as `If-Match`' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await this.establishments.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, establishmentErrors);
    assertEstablishmentInScope(principal, 'establishments.read', state.establishment.communeCode);
    res.setHeader('ETag', etagOf(version));
    return { id, version, status: state.status, ...state.establishment, closedOn: state.closedOn };
  }
}
