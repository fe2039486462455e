import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { rehabCaseErrors } from '../cases-errors.http';
import { CloseRehabCaseRequestDto } from './close-rehab-case/close-rehab-case.request.dto';
import { CompleteRehabRequestDto } from './complete-rehab/complete-rehab.request.dto';
import { DecideRehabFormRequestDto } from './decide-rehab-form/decide-rehab-form.request.dto';
import { DiscontinueRehabRequestDto } from './discontinue-rehab/discontinue-rehab.request.dto';
import { type LegalBasisDto, RehabCaseChangeResponseDto } from './legal-basis.dto';
import { NoteProgressRequestDto } from './note-progress/note-progress.request.dto';
import { RecordAddictionDeterminationRequestDto } from './record-addiction-determination/record-addiction-determination.request.dto';
import { RecordRelapseRequestDto } from './record-relapse/record-relapse.request.dto';
import { ReduceTermRequestDto } from './reduce-term/reduce-term.request.dto';
import { RehabCaseCommands } from './rehab-case-commands';
import { StartPostRehabManagementRequestDto } from './start-post-rehab-management/start-post-rehab-management.request.dto';
import { StartRehabRequestDto } from './start-rehab/start-rehab.request.dto';

const legalBasisOf = (basis: LegalBasisDto) => ({ decisionNo: basis.decisionNo, decisionDate: basis.decisionDate, issuedBy: basis.issuedBy });

type Route<TBody extends object> = CommandRoute<RehabCaseCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered case, each a declaration: path, policy action, body, and the command it
 * makes. Fields are copied one by one, so nothing the DTO did not validate reaches the decider.
 */
export const rehabCaseRoutes = [
  route({
    path: ':id/addiction-determination',
    action: 'rehab-cases.manage',
    summary: 'Records the addiction determination (before rehab starts)',
    body: RecordAddictionDeterminationRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'DetermineAddiction',
        data: { determinedOn: body.determinedOn, facilityId: body.facilityId, result: body.result },
      }),
  }),
  route({
    path: ':id/form-decision',
    action: 'rehab-cases.manage',
    summary: 'Records the form decision of a case registered without a form (for compulsory rehab: the court decision)',
    description:
      'Compulsory rehab: register without a form, record the addiction determination, then this decision (COMPULSORY_FACILITY, issued by COURT). ' +
      'Recorded by an agency that manages the decided form (for a facility stay, the provincial facility). ' +
      'A broken rule is 422 in plain words, e.g. "compulsory rehab needs a prior determination that the person is addicted".',
    responseDescription: '`ETag` is the new version',
    body: DecideRehabFormRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'DecideRehabForm',
        data: {
          form: body.form,
          legalBasis: legalBasisOf(body.legalBasis),
          // Replaced by the person's age group on the decision date (RehabCaseCommands.complete).
          ageGroup: 'ADULT',
          termMonths: body.termMonths ?? null,
          facilityId: body.facilityId ?? null,
        },
      }),
  }),
  route({
    path: ':id/start',
    action: 'rehab-cases.manage',
    summary: 'Starts rehab under the decided form',
    body: StartRehabRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'StartRehab', data: { startedOn: body.startedOn } }),
  }),
  route({
    path: ':id/progress-notes',
    action: 'rehab-cases.manage',
    summary: 'Adds a progress note while rehab is in progress',
    body: NoteProgressRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'NoteProgress', data: { notedOn: body.notedOn, note: body.note } }),
  }),
  route({
    path: ':id/term-reduction',
    action: 'rehab-cases.manage',
    summary: 'Reduces the term (after half of it is served)',
    description:
      "Decided by the body that set the term: for compulsory rehab only the court (issuedBy COURT), on the facility's `proposal`; for voluntary rehab the commune chair or facility director who decided it. Otherwise 422.",
    body: ReduceTermRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'ReduceTerm',
        data: {
          months: body.months,
          legalBasis: legalBasisOf(body.legalBasis),
          proposal: body.proposal === undefined ? null : { proposalNo: body.proposal.proposalNo, proposedOn: body.proposal.proposedOn },
        },
      }),
  }),
  route({
    path: ':id/completion',
    action: 'rehab-cases.manage',
    summary: 'Records completion of rehab',
    body: CompleteRehabRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CompleteRehab', data: { completedOn: body.completedOn } }),
  }),
  route({
    path: ':id/discontinuation',
    action: 'rehab-cases.manage',
    summary: 'Records that rehab ended early (absconded, expelled, deceased, transferred)',
    body: DiscontinueRehabRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'DiscontinueRehab', data: { discontinuedOn: body.discontinuedOn, reason: body.reason } }),
  }),
  route({
    path: ':id/post-rehab-management',
    action: 'rehab-cases.manage',
    summary: 'Starts post-rehab management at the place of residence (only after completion)',
    body: StartPostRehabManagementRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'StartPostRehabManagement',
        data: { legalBasis: legalBasisOf(body.legalBasis), startedOn: body.startedOn, termMonths: body.termMonths },
      }),
  }),
  route({
    path: ':id/relapse',
    action: 'rehab-cases.manage',
    summary: 'Records a relapse after completion',
    body: RecordRelapseRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'RecordRelapse', data: { detectedOn: body.detectedOn } }),
  }),
  route({
    path: ':id/closure',
    action: 'rehab-cases.manage',
    summary: 'Closes an ended case',
    description:
      'A case found "not addicted" closes only once the commune chair has decided management of the illegal drug user: give its `drugUserManagementId` (the case shows `nextStep: DRUG_USER_MANAGEMENT` until then).',
    body: CloseRehabCaseRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'CloseRehabCase',
        data: { closedOn: body.closedOn, drugUserManagementId: body.drugUserManagementId ?? null },
      }),
  }),
];

export const RehabCaseStepsHttpController = commandRoutesController({
  name: 'RehabCaseStepsHttpController',
  path: 'api/v1/rehab-cases',
  tag: 'rehab-cases',
  service: RehabCaseCommands,
  errors: rehabCaseErrors,
  response: RehabCaseChangeResponseDto,
  ifMatchDescription: 'The ETag of the case read: 428 when missing, 409 when stale',
  routes: rehabCaseRoutes,
});
