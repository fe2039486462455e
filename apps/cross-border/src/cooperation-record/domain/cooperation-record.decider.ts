import { addWorkingDays, isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { AddTranslation, CooperationRecordCommand, NamedPerson, RecordReply, RegisterCooperationRecord, SealRecord } from './cooperation-record.commands';
import { cooperationRecordError, type CooperationRecordError } from './cooperation-record.errors';
import type { CooperationRecordEvent, CooperationRecordRegistered, RecordDetails, RecordSealed } from './cooperation-record.events';
import { supportApplies } from '../../handed-over-person/domain';
import { isStatisticCategory } from './record-figures';

export type CooperationRecordStatus = 'NONE' | 'OPEN' | 'SEALED';

/** The record's content: what the seal hashes (both languages), never the handed-over persons. */
export type RecordContent = Omit<CooperationRecordRegistered['data'], 'personIds'> & { readonly replyReceivedOn: IsoDate | null };

export interface CooperationRecordState {
  readonly status: CooperationRecordStatus;
  readonly content: RecordContent | null;
  /** The persons the registration named (`HandedOverPerson` streams); empty when none. */
  readonly personIds: readonly string[];
  readonly seal: RecordSealed['data'] | null;
}

export function initialState(): CooperationRecordState {
  return { status: 'NONE', content: null, personIds: [], seal: null };
}

export type CooperationRecordDecision = readonly CooperationRecordEvent[] | CooperationRecordError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: CooperationRecordCommand, state: CooperationRecordState, now: Date): CooperationRecordDecision {
  if (command.type !== 'RegisterCooperationRecord') {
    if (state.status === 'NONE' || state.content === null) return cooperationRecordError('not-registered');
    // The one rule before every other: a sealed record never changes.
    if (state.status === 'SEALED') return cooperationRecordError('record-sealed');
  }
  switch (command.type) {
    case 'RegisterCooperationRecord':
      return register(command, state, now);
    case 'AddTranslation':
      return addTranslation(command, state.content as RecordContent);
    case 'RecordReply':
      return recordReply(command, state.content as RecordContent, now);
    case 'SealRecord':
      return seal(command, state.content as RecordContent, now);
    default:
      return assertNever(command);
  }
}

function register(command: RegisterCooperationRecord, state: CooperationRecordState, now: Date): CooperationRecordDecision {
  if (state.status !== 'NONE') return cooperationRecordError('already-registered');
  const { unknownCodes, crossingProvinceCode, corrects, persons, ...data } = command.data;
  if (data.vi.title.trim() === '' || data.vi.body.trim() === '') return cooperationRecordError('empty-text');
  const badDate = checkDate(data.occurredOn, now);
  if (badDate !== undefined) return badDate;
  if (unknownCodes.length > 0) return cooperationRecordError('unknown-code', unknownCodes.join(', '));
  if (data.crossingCode !== null && crossingProvinceCode !== data.provinceCode) return cooperationRecordError('crossing-of-other-province');
  if (data.details.kind !== data.kind) return cooperationRecordError('details-of-other-kind');
  if (data.zh !== null && (data.translator === null || data.translator.trim() === '')) return cooperationRecordError('translation-required');
  if (persons !== null && data.kind !== 'HANDOVER') return cooperationRecordError('persons-outside-handover');
  const badDetails = checkDetails(data.details, data.occurredOn, data.crossingCode, persons?.length ?? 0, now);
  if (badDetails !== undefined) return badDetails;
  const badSupport = checkSupport(data.details, persons ?? [], now);
  if (badSupport !== undefined) return badSupport;
  if (corrects !== null) {
    if (!corrects.exists) return cooperationRecordError('correction-target-missing');
    if (!corrects.sealed) return cooperationRecordError('correction-target-not-sealed');
    if (corrects.kind !== data.kind || corrects.provinceCode !== data.provinceCode) return cooperationRecordError('correction-of-other-kind');
  }
  const details: RecordDetails =
    data.details.kind === 'INFORMATION_EXCHANGE'
      ? {
          ...data.details,
          replyDueOn: data.details.replyWithinWorkingDays === null ? null : addWorkingDays(data.occurredOn, data.details.replyWithinWorkingDays),
        }
      : data.details;
  const personIds = persons === null ? null : persons.map((p) => p.personId);
  return [{ type: 'CooperationRecordRegistered', data: { ...data, details, corrects: corrects?.recordId ?? null, personIds } }];
}

/** Support (as a whole or need by need) is asked only for a trafficking victim or a returned citizen received from China, with what cases needs. */
function checkSupport(details: RecordDetails, persons: readonly NamedPerson[], now: Date): CooperationRecordError | undefined {
  for (const person of persons) {
    if ((person.support === null) !== (person.supportAgency === null && person.needs.length === 0)) return cooperationRecordError('support-incomplete');
    if (person.support === null) continue;
    if (details.kind !== 'HANDOVER' || !supportApplies(details.direction, details.category)) return cooperationRecordError('support-not-applicable');
    const badDate = checkDate(person.support.dateOfBirth, now);
    if (badDate !== undefined) return badDate;
  }
  return undefined;
}

function checkDetails(
  details: RecordDetails,
  occurredOn: IsoDate,
  crossingCode: string | null,
  persons: number,
  now: Date,
): CooperationRecordError | undefined {
  switch (details.kind) {
    case 'MEETING':
    case 'INFORMATION_EXCHANGE':
      return undefined;
    case 'JOINT_PATROL':
      return details.markerFrom.trim() === '' || details.markerTo.trim() === '' ? cooperationRecordError('marker-range') : undefined;
    case 'JOINT_CASE': {
      const numbers = [...details.arrests.map((a) => a.count), ...details.seizures.map((s) => s.quantity)];
      return numbers.length === 0 || numbers.some((n) => !(n > 0)) ? cooperationRecordError('empty-case') : undefined;
    }
    case 'HANDOVER': {
      if (crossingCode === null) return cooperationRecordError('crossing-required');
      if (persons > details.count) return cooperationRecordError('too-many-persons');
      const badDate = checkDate(details.minutesSignedOn, now);
      if (badDate !== undefined) return badDate;
      return details.minutesSignedOn < occurredOn ? cooperationRecordError('minutes-before-handover') : undefined;
    }
    case 'PERIOD_SUMMARY': {
      const badDate = checkDate(details.periodFrom, now) ?? checkDate(details.periodTo, now);
      if (badDate !== undefined) return badDate;
      if (details.periodTo < details.periodFrom) return cooperationRecordError('period-reversed');
      const bad = details.figures.length === 0 || details.figures.some((f) => !isStatisticCategory(f.category) || !(f.value >= 0));
      return bad ? cooperationRecordError('empty-summary') : undefined;
    }
  }
}

function addTranslation(command: AddTranslation, content: RecordContent): CooperationRecordDecision {
  const { zh, agreedPointsZh, translator } = command.data;
  if (zh.title.trim() === '' || zh.body.trim() === '' || translator.trim() === '') return cooperationRecordError('translation-required');
  const points = content.details.kind === 'MEETING' ? content.details.agreedPoints.length : 0;
  if (agreedPointsZh.length !== points || agreedPointsZh.some((p) => p.trim() === '')) return cooperationRecordError('translation-incomplete');
  return [{ type: 'TranslationAdded', data: { zh, agreedPointsZh, translator } }];
}

function recordReply(command: RecordReply, content: RecordContent, now: Date): CooperationRecordDecision {
  const { details } = content;
  if (details.kind !== 'INFORMATION_EXCHANGE' || details.replyDueOn === null) return cooperationRecordError('no-reply-asked');
  if (content.replyReceivedOn !== null) return cooperationRecordError('reply-already-received');
  const { receivedOn } = command.data;
  const badDate = checkDate(receivedOn, now);
  if (badDate !== undefined) return badDate;
  if (receivedOn < content.occurredOn) return cooperationRecordError('reply-before-exchange');
  return [{ type: 'ReplyReceived', data: { receivedOn, overdue: receivedOn > details.replyDueOn } }];
}

function seal(command: SealRecord, content: RecordContent, now: Date): CooperationRecordDecision {
  if (content.zh === null || content.translator === null) return cooperationRecordError('translation-required');
  if (content.details.kind === 'MEETING' && content.details.agreedPoints.some((p) => p.zh === null)) return cooperationRecordError('translation-incomplete');
  const badDate = checkDate(command.data.sealedOn, now);
  if (badDate !== undefined) return badDate;
  return [{ type: 'RecordSealed', data: command.data }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): CooperationRecordError | undefined {
  if (!isIsoDate(date)) return cooperationRecordError('invalid-date');
  if (date > vietnamDateOf(now)) return cooperationRecordError('date-in-future');
  return undefined;
}

export function evolve(state: CooperationRecordState, event: CooperationRecordEvent): CooperationRecordState {
  switch (event.type) {
    case 'CooperationRecordRegistered': {
      // `personIds ?? null`: records written before persons had streams of their own carry none.
      const { personIds, ...content } = event.data;
      return { ...state, status: 'OPEN', content: { ...content, replyReceivedOn: null }, personIds: personIds ?? [] };
    }
    case 'TranslationAdded': {
      if (state.content === null) return state;
      const { details } = state.content;
      const translated: RecordDetails =
        details.kind === 'MEETING'
          ? { ...details, agreedPoints: details.agreedPoints.map((p, i) => ({ vi: p.vi, zh: event.data.agreedPointsZh[i] ?? p.zh })) }
          : details;
      return { ...state, content: { ...state.content, zh: event.data.zh, translator: event.data.translator, details: translated } };
    }
    case 'ReplyReceived':
      return state.content === null ? state : { ...state, content: { ...state.content, replyReceivedOn: event.data.receivedOn } };
    case 'RecordSealed':
      return { ...state, status: 'SEALED', seal: event.data };
    default:
      return assertNever(event);
  }
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const cooperationRecordDecider: Decider<CooperationRecordCommand, CooperationRecordEvent, CooperationRecordState> = { initialState, decide, evolve };
