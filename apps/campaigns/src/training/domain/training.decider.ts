import { isIsoDate, vietnamDateOf } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import { actsForPreventionOn } from '../../agencies/domain/prevention-agencies';
import { trainingError, type TrainingError } from './training.errors';
import type { TrainingEvent, TrainingHeld } from './training.events';

export type RecordTraining = { readonly type: 'RecordTraining'; readonly data: TrainingHeld['data'] & { readonly recordedByType: string } };
export type TrainingCommand = RecordTraining;
export type TrainingState = { readonly status: 'NONE' } | { readonly status: 'HELD'; readonly training: TrainingHeld['data'] };
export type TrainingDecision = readonly TrainingEvent[] | TrainingError;

export function initialState(): TrainingState {
  return { status: 'NONE' };
}

export function decide(command: TrainingCommand, state: TrainingState, now: Date): TrainingDecision {
  if (state.status !== 'NONE') return trainingError('already-recorded');
  const { recordedByType, ...d } = command.data;
  if ([d.trainingId, d.provinceCode, d.organiser, d.topic].some((s) => s.trim() === '')) return trainingError('missing-reference');
  if (!isIsoDate(d.heldOn)) return trainingError('invalid-date');
  if (d.heldOn > vietnamDateOf(now)) return trainingError('date-in-future');
  if (d.participants.length === 0) return trainingError('no-participants');
  if (new Set(d.participants.map((p) => p.group)).size !== d.participants.length) return trainingError('duplicate-group');
  if (d.participants.some((p) => !Number.isInteger(p.count) || p.count < 1)) return trainingError('invalid-count');
  if (!actsForPreventionOn(recordedByType, d.heldOn)) return trainingError('agency-not-holder');
  return [{ type: 'TrainingHeld', data: d }];
}

export function evolve(_state: TrainingState, event: TrainingEvent): TrainingState {
  return { status: 'HELD', training: event.data };
}

export const trainingDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = { initialState, decide, evolve };
