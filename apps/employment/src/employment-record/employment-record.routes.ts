import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { employmentRecordErrors } from '../employment-errors.http';
import { EmploymentRecordChangeResponseDto } from './employment-record-change.response.dto';
import { EmploymentRecordCommands } from './employment-record-commands';
import {
  AssessNeedRequestDto,
  CloseEmploymentRecordRequestDto,
  CompleteTrainingRequestDto,
  EnrolInTrainingRequestDto,
  HoldCounsellingSessionRequestDto,
  LeaveJobRequestDto,
  RecordJobFollowUpRequestDto,
  RecordResidenceRequestDto,
  RecordTrainingDropoutRequestDto,
  StartJobRequestDto,
} from './steps/employment-record-steps.request.dto';
import { provinceOf } from '@haidang/jurisdiction';

type Route<TBody extends object> = CommandRoute<EmploymentRecordCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;
const request = (path: string, body: object) => ({ route: path, body: { ...body } });

/**
 * The steps of an open employment record, each a declaration: path, policy action, body, and the
 * command it makes. Fields are copied one by one, so nothing the DTO did not validate reaches the
 * decider. Sessions, enrolments and placements get their id here (from the Idempotency-Key when
 * there is one); the answer's `events` are not returned, so the id is read back with GET.
 */
export const employmentRecordRoutes = [
  route({
    path: ':id/residence',
    action: 'employment-records.manage',
    summary: 'Records the commune of residence of a record opened from a referral',
    body: RecordResidenceRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'RecordResidence', data: { communeCode: body.communeCode, provinceCode: provinceOf(body.communeCode) ?? '' } },
        request('residence', body),
      ),
  }),
  route({
    path: ':id/need-assessments',
    action: 'employment-records.manage',
    summary: 'Records what the person wants now (work, training, not now), their skills and preferences',
    body: AssessNeedRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'AssessNeed',
          data: {
            assessedOn: body.assessedOn,
            need: body.need,
            notNowReason: body.notNowReason ?? null,
            skills: body.skills ?? '',
            preferences: body.preferences ?? '',
          },
        },
        request('need-assessments', body),
      ),
  }),
  route({
    path: ':id/counselling-sessions',
    action: 'employment-records.manage',
    summary: 'Records a free job-counselling session',
    body: HoldCounsellingSessionRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'HoldCounsellingSession',
          data: {
            sessionId: commands.childId(id, conditions.idempotencyKey),
            heldOn: body.heldOn,
            counsellor: body.counsellor,
            outcome: body.outcome,
            nextStep: body.nextStep,
            note: body.note ?? null,
          },
        },
        request('counselling-sessions', body),
      ),
  }),
  route({
    path: ':id/enrolments',
    action: 'employment-records.manage',
    summary: 'Enrols the person in a vocational training at a provider of the register',
    body: EnrolInTrainingRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'EnrolInTraining',
          data: {
            enrolmentId: commands.childId(id, conditions.idempotencyKey),
            tradeCode: body.tradeCode,
            providerId: body.providerId,
            level: body.level,
            startOn: body.startOn,
            expectedEndOn: body.expectedEndOn,
            funding: body.funding,
            provider: null,
          },
        },
        request('enrolments', body),
      ),
  }),
  route({
    path: ':id/training-dropouts',
    action: 'employment-records.manage',
    summary: 'Records that the person left a training before its end, with the reason',
    body: RecordTrainingDropoutRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'RecordTrainingDropout', data: { enrolmentId: body.enrolmentId, droppedOn: body.droppedOn, reason: body.reason, note: body.note ?? null } },
        request('training-dropouts', body),
      ),
  }),
  route({
    path: ':id/training-completions',
    action: 'employment-records.manage',
    summary: 'Records that the person completed a training, with the certificate number',
    body: CompleteTrainingRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'CompleteTraining', data: { enrolmentId: body.enrolmentId, completedOn: body.completedOn, certificateNumber: body.certificateNumber } },
        request('training-completions', body),
      ),
  }),
  route({
    path: ':id/placements',
    action: 'employment-records.manage',
    summary: 'Records a job the person started; schedules the follow-ups at 3, 6 and 12 months on working days',
    body: StartJobRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        {
          type: 'StartJob',
          data: {
            placementId: commands.childId(id, conditions.idempotencyKey),
            employerId: body.employerId,
            jobTitle: body.jobTitle,
            contractType: body.contractType,
            startOn: body.startOn,
            wageBand: body.wageBand,
            loan: body.loan ? { programme: body.loan.programme, amountBand: body.loan.amountBand } : null,
            employerKnown: false,
            employerClosed: false,
          },
        },
        request('placements', body),
      ),
  }),
  route({
    path: ':id/follow-ups',
    action: 'employment-records.manage',
    summary: 'Records a follow-up check of a job: still working or not',
    body: RecordJobFollowUpRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'RecordJobFollowUp', data: { placementId: body.placementId, month: body.month, checkedOn: body.checkedOn, stillWorking: body.stillWorking } },
        request('follow-ups', body),
      ),
  }),
  route({
    path: ':id/job-departures',
    action: 'employment-records.manage',
    summary: 'Records that the person left a job, with the reason',
    body: LeaveJobRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'LeaveJob', data: { placementId: body.placementId, leftOn: body.leftOn, reason: body.reason } },
        request('job-departures', body),
      ),
  }),
  route({
    path: ':id/closure',
    action: 'employment-records.manage',
    summary: 'Closes the record with its outcome (and reports the outcome of the referral that opened it, if not yet)',
    body: CloseEmploymentRecordRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(
        id,
        principal,
        conditions,
        { type: 'CloseEmploymentRecord', data: { closedOn: body.closedOn, outcome: body.outcome } },
        request('closure', body),
      ),
  }),
];

export const EmploymentRecordStepsHttpController = commandRoutesController({
  name: 'EmploymentRecordStepsHttpController',
  path: 'api/v1/employment-records',
  tag: 'employment-records',
  service: EmploymentRecordCommands,
  errors: employmentRecordErrors,
  response: EmploymentRecordChangeResponseDto,
  routes: employmentRecordRoutes,
});
