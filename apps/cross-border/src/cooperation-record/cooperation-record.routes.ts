import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../cross-border-errors.http';
import { CooperationRecordChangeResponseDto } from './cooperation-record-change.response.dto';
import { CooperationRecordCommands } from './cooperation-record-commands';
import { AddTranslationRequestDto, RecordReplyRequestDto, SealRecordRequestDto } from './steps/record-steps.request.dto';

type Route<TBody extends object> = CommandRoute<CooperationRecordCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered cooperation record, each a declaration. Fields are copied one by one, so
 * nothing the DTO did not validate reaches the decider. A sealed record refuses every step (422).
 */
export const cooperationRecordRoutes = [
  route({
    path: ':id/translation',
    action: 'records.manage',
    summary: 'Adds (or replaces) the Chinese text and names the translator, before sealing',
    body: AddTranslationRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'AddTranslation',
        data: { zh: { title: body.zh.title, body: body.zh.body }, agreedPointsZh: [...body.agreedPointsZh], translator: body.translator },
      }),
  }),
  route({
    path: ':id/reply',
    action: 'records.manage',
    summary: 'Records the counterpart’s reply to an information exchange (overdue past the working-day deadline)',
    body: RecordReplyRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'RecordReply', data: { receivedOn: body.receivedOn } }),
  }),
  route({
    path: ':id/seal',
    action: 'records.seal',
    summary: 'Seals a record both sides signed: hashes its content in both languages and signs the seal (Ed25519)',
    description: 'After this the record refuses every change (422); a mistake is corrected by a new record with `corrects` naming this one.',
    body: SealRecordRequestDto,
    run: (commands, { id, body, principal, ...conditions }) => commands.seal(id, principal, conditions, body.sealedOn),
  }),
];

export const CooperationRecordStepsHttpController = commandRoutesController({
  name: 'CooperationRecordStepsHttpController',
  path: 'api/v1/records',
  tag: 'records',
  service: CooperationRecordCommands,
  errors: cooperationRecordErrors,
  response: CooperationRecordChangeResponseDto,
  routes: cooperationRecordRoutes,
});
