import { provinceOf } from '@haidang/jurisdiction';
import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { employerErrors, trainingProviderErrors } from '../employment-errors.http';
import { EmploymentRecordChangeResponseDto } from '../employment-record/employment-record-change.response.dto';
import { EmployerCommands, TrainingProviderCommands } from './registers.handler';
import { ChangeEmployerRequestDto, ChangeTrainingProviderRequestDto, CloseRegisterEntryRequestDto } from './registers.request.dto';

const request = (path: string, body: object) => ({ route: path, body: { ...body } });
/** The province of a commune the change moves the entry to: null when no commune in force has the code (the decider refuses it). */
const provinceOfCommune = (communeCode: string | undefined): string | null => (communeCode === undefined ? null : (provinceOf(communeCode) ?? null));

type ProviderRoute<TBody extends object> = CommandRoute<TrainingProviderCommands, TBody>;
const providerRoute = <TBody extends object>(declaration: ProviderRoute<TBody>): ProviderRoute<TBody> => declaration;

/** Changes to a training provider's entry under If-Match; fields are copied one by one (only what the DTO validated). */
export const trainingProviderRoutes = [
  providerRoute({
    path: ':id/changes',
    action: 'registers.manage',
    summary: 'Changes a training provider’s entry (name, kind, commune in the same province, capacity, sign-in agency code)',
    body: ChangeTrainingProviderRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'ChangeTrainingProvider',
          data: {
            changedOn: body.changedOn,
            changes: {
              ...(body.name === undefined ? {} : { name: body.name }),
              ...(body.kind === undefined ? {} : { kind: body.kind }),
              ...(body.communeCode === undefined ? {} : { communeCode: body.communeCode }),
              ...(body.capacity === undefined ? {} : { capacity: body.capacity }),
              ...(body.agencyCode === undefined ? {} : { agencyCode: body.agencyCode }),
            },
            provinceOfCommune: provinceOfCommune(body.communeCode),
          },
        },
        request('provider-changes', body),
      ),
  }),
  providerRoute({
    path: ':id/closure',
    action: 'registers.manage',
    summary: 'Closes a training provider’s entry: no new enrolment there; enrolments in progress go on',
    body: CloseRegisterEntryRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseTrainingProvider', data: { closedOn: body.closedOn } }, request('provider-closure', body)),
  }),
];

type EmployerRoute<TBody extends object> = CommandRoute<EmployerCommands, TBody>;
const employerRoute = <TBody extends object>(declaration: EmployerRoute<TBody>): EmployerRoute<TBody> => declaration;

export const employerRoutes = [
  employerRoute({
    path: ':id/changes',
    action: 'registers.manage',
    summary: 'Changes an employer’s entry (name, tax code, commune in the same province, sector)',
    body: ChangeEmployerRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'ChangeEmployer',
          data: {
            changedOn: body.changedOn,
            changes: {
              ...(body.name === undefined ? {} : { name: body.name }),
              ...(body.taxCode === undefined ? {} : { taxCode: body.taxCode }),
              ...(body.communeCode === undefined ? {} : { communeCode: body.communeCode }),
              ...(body.sector === undefined ? {} : { sector: body.sector }),
            },
            provinceOfCommune: provinceOfCommune(body.communeCode),
          },
        },
        request('employer-changes', body),
      ),
  }),
  employerRoute({
    path: ':id/closure',
    action: 'registers.manage',
    summary: 'Closes an employer’s entry: no new job there; jobs in progress and their follow-ups go on',
    body: CloseRegisterEntryRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseEmployer', data: { closedOn: body.closedOn } }, request('employer-closure', body)),
  }),
];

export const TrainingProviderStepsHttpController = commandRoutesController({
  name: 'TrainingProviderStepsHttpController',
  path: 'api/v1/training-providers',
  tag: 'training-providers',
  service: TrainingProviderCommands,
  errors: trainingProviderErrors,
  response: EmploymentRecordChangeResponseDto,
  routes: trainingProviderRoutes,
});

export const EmployerStepsHttpController = commandRoutesController({
  name: 'EmployerStepsHttpController',
  path: 'api/v1/employers',
  tag: 'employers',
  service: EmployerCommands,
  errors: employerErrors,
  response: EmploymentRecordChangeResponseDto,
  routes: employerRoutes,
});
