import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, commandRoutesController, httpErrorTable, problemOf, type ChangeAnswer, type CommandRoute } from '@haidang/service-kit';
import { DrugUserManagementCommands } from './drug-user-management-commands';
import { DRUG_USER_MANAGEMENT_STORE, type DrugUserManagementStore } from './drug-user-management.aggregate';
import {
  DecideDrugUserManagementRequestDto,
  DrugUserManagementChangeResponseDto,
  DrugUserManagementResponseDto,
  EndDrugUserManagementRequestDto,
  RecordDrugTestRequestDto,
  TerminateDrugUserManagementEarlyRequestDto,
} from './drug-user-management.dto';

/** Every broken rule is 422 in plain words; a person that is gone is 404. */
export const drugUserManagementErrors = httpErrorTable({
  resource: 'drug user management',
  exampleVersion: 1,
  statuses: { 'person-not-found': 404, 'already-decided': 409 },
});

const PATH = 'api/v1/drug-user-managements';

@ApiTags('drug-user-managements')
@ApiBearerAuth()
@Controller(PATH)
export class DecideDrugUserManagementHttpController {
  constructor(@Inject(DrugUserManagementCommands) private readonly commands: DrugUserManagementCommands) {}

  @Post()
  @HttpCode(201)
  @Authorize('drug-user-managements.decide')
  @ApiOperation({
    summary: "Records the commune chair's decision to manage an illegal drug user (one year)",
    description:
      'Management of illegal drug users (quản lý người sử dụng trái phép chất ma túy, Law 73/2021 Art. 23–26): a person from full 12 years ' +
      'with a positive test who is not determined addicted. Decided by the chair of the residence commune (issuedBy COMMUNE_CHAIR), ' +
      'one year from `startsOn`; a rehab case whose determination found the person not addicted points here.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: DrugUserManagementChangeResponseDto })
  @ApiUnprocessableEntityResponse({
    description: 'A rule of the law broken, e.g. "management of illegal drug users applies from full 12 years of age on the decision date"',
  })
  async decide(
    @Body(validated(DecideDrugUserManagementRequestDto)) body: DecideDrugUserManagementRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.commands.decide(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, drugUserManagementErrors, res, (id) => `/${PATH}/${id}`);
  }
}

@ApiTags('drug-user-managements')
@ApiBearerAuth()
@Controller(PATH)
export class GetDrugUserManagementHttpController {
  constructor(
    @Inject(DRUG_USER_MANAGEMENT_STORE) private readonly store: DrugUserManagementStore,
    @Inject(DrugUserManagementCommands) private readonly commands: DrugUserManagementCommands,
  ) {}

  @Get(':id')
  @Authorize('drug-user-managements.read')
  @ApiOkResponse({ type: DrugUserManagementResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<DrugUserManagementResponseDto> {
    const { state, version } = await this.store.load(id);
    if (state.status === 'NONE' || state.legalBasis === null) throw problemOf({ kind: 'not-found' }, drugUserManagementErrors);
    await this.commands.assertInScope(principal, 'drug-user-managements.read', state);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      status: state.status,
      personId: state.personId as string,
      rehabCaseId: state.rehabCaseId,
      legalBasis: state.legalBasis,
      regime: state.regime as string,
      positiveTestOn: state.positiveTestOn as string,
      startsOn: state.startsOn as string,
      endsOn: state.endsOn as string,
      endedOn: state.endedOn,
      terminationReason: state.terminationReason,
    };
  }
}

type Route<TBody extends object> = CommandRoute<DrugUserManagementCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

export const drugUserManagementRoutes = [
  route({
    path: ':id/drug-tests',
    action: 'drug-user-managements.manage',
    summary: 'Records a drug test during management (commune police or commune); a positive one restarts the one-year term',
    body: RecordDrugTestRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'RecordDrugTest', data: { testedOn: body.testedOn, positive: body.positive } }),
  }),
  route({
    path: ':id/end',
    action: 'drug-user-managements.manage',
    summary: 'Ends management at the end of its term (the commune)',
    body: EndDrugUserManagementRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'EndDrugUserManagement', data: { endedOn: body.endedOn } }),
  }),
  route({
    path: ':id/early-termination',
    action: 'drug-user-managements.manage',
    summary: 'Ends management early on a ground of the law: determined addicted, an administrative measure, custody, death (the commune)',
    body: TerminateDrugUserManagementEarlyRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'TerminateDrugUserManagementEarly', data: { terminatedOn: body.terminatedOn, reason: body.reason } }),
  }),
];

export const DrugUserManagementStepsHttpController = commandRoutesController({
  name: 'DrugUserManagementStepsHttpController',
  path: PATH,
  tag: 'drug-user-managements',
  service: DrugUserManagementCommands,
  errors: drugUserManagementErrors,
  response: DrugUserManagementChangeResponseDto,
  ifMatchDescription: 'The ETag of the management read: 428 when missing, 409 when stale',
  routes: drugUserManagementRoutes,
});
