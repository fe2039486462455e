import { Inject, Injectable } from '@nestjs/common';
import { isDomainError } from '@haidang/decider';
import { ProblemHttpException, validationProblem, type FieldError } from '@haidang/http-platform';
import { provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import type { EventStore } from '@haidang/event-store';
import { CasesPersons } from '../../handed-over-person/cases-persons';
import { linkCasesPerson } from '../../handed-over-person/cases-person-links';
import { EVENT_STORE } from '../../tokens';
import { NEED_RECEIVER_TYPES } from '../../handed-over-person/domain';
import { handedOverPerson, handedOverPersonIdFor } from '../../handed-over-person/handed-over-person.aggregate';
import { findCounterpartUnit, findCrossing } from '../../registers/domain';
import {
  cooperationRecordDecider,
  cooperationRecordError,
  type CooperationRecordEvent,
  type CorrectedRecordFacts,
  type NamedPerson,
  type RecordDetails,
  type RegisterCooperationRecord,
} from '../domain';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { cooperationRecord } from '../cooperation-record.aggregate';
import { DETAILS_FIELD, type RegisterCooperationRecordRequestDto } from './register-cooperation-record.request.dto';

/** The scope of the keys under which the persons of a record are appended (no client request shares it). */
const PERSONS_KEY_SCOPE = 'system:cross-border/handover-persons';

/**
 * Registers a cooperation record: scope first (the caller's province), then the facts the service
 * looks up (register codes, the record a correction names), then the id from the agency and its
 * Idempotency-Key, then the pipeline.
 *
 * A handover's persons are streams of their own (`HandedOverPerson`, each with their own key).
 * Those received who need support are first registered in `cases` with the caller's token, under
 * keys derived from the record's id: so the order is (1) decide the record without appending (a
 * record the domain refuses registers nobody), (2) cases, (3) the record, (4) its persons. A crash
 * or a lost answer anywhere in between is finished by the client's retry under the same
 * Idempotency-Key: cases answers the same persons, the record and each person are appended once.
 * Each person registered in cases is linked to their cases id before their stream is appended, so
 * that an erasure in cases reaches them here.
 */
@Injectable()
export class RegisterCooperationRecordHandler {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(CasesPersons) private readonly cases: CasesPersons,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async handle(
    request: RegisterCooperationRecordRequestDto,
    principal: Principal,
    idempotencyKey: string | undefined,
  ): Promise<CommandResult<CooperationRecordEvent>> {
    assertCooperationRecordInScope(principal, 'records.register', request.provinceCode);
    const others = Object.entries(DETAILS_FIELD).filter(([kind, field]) => kind !== request.kind && request[field] !== undefined);
    if (others.length > 0) return { ok: false, failure: { kind: 'rejected', error: cooperationRecordError('details-of-other-kind') } };
    const store = this.pipeline.storeOf(cooperationRecord);
    const recordId = store.newId(principal.agency.code, idempotencyKey);
    const crossing = request.crossingCode === undefined ? undefined : findCrossing(request.crossingCode);
    const details = detailsOf(request);
    const counterpartCodes = [...(request.counterpartCodes ?? []), ...(details.kind === 'JOINT_PATROL' ? details.chineseUnits : [])];
    const unknownCodes = [
      ...(request.crossingCode !== undefined && crossing === undefined ? [request.crossingCode] : []),
      ...counterpartCodes.filter((code) => findCounterpartUnit(code) === undefined),
    ];
    let corrects: CorrectedRecordFacts | null = null;
    if (request.corrects !== undefined) {
      const target = (await store.load(request.corrects)).state;
      // A record of another province is, to this caller, a record that does not exist.
      const visible = target.content !== null && target.content.provinceCode === request.provinceCode;
      corrects = {
        recordId: request.corrects,
        exists: visible,
        sealed: visible && target.status === 'SEALED',
        kind: visible ? (target.content?.kind ?? null) : null,
        provinceCode: visible ? (target.content?.provinceCode ?? null) : null,
      };
    }
    const command: RegisterCooperationRecord = {
      type: 'RegisterCooperationRecord',
      data: {
        recordId,
        kind: request.kind,
        provinceCode: request.provinceCode,
        occurredOn: request.occurredOn,
        crossingCode: request.crossingCode ?? null,
        counterpartCodes: request.counterpartCodes ?? [],
        vi: { title: request.vi.title, body: request.vi.body },
        zh: request.zh === undefined ? null : { title: request.zh.title, body: request.zh.body },
        translator: request.translator ?? null,
        details,
        corrects,
        persons: request.persons === undefined ? null : request.persons.map((p, i) => namedPerson(p, handedOverPersonIdFor(recordId, i))),
        unknownCodes,
        crossingProvinceCode: crossing?.provinceCode ?? null,
      },
    };
    const persons = command.data.persons ?? [];
    if (persons.some((p) => p.support !== null)) {
      const now = this.pipeline.clock();
      const invalid = [...residenceErrors(persons, now), ...needErrors(persons, request.provinceCode, now)];
      if (invalid.length > 0) throw new ProblemHttpException(validationProblem(invalid));
      // A record the domain refuses must register nobody in cases: decided first, on a new record only (a retry is answered below).
      if ((await store.load(recordId)).version < 0) {
        const decided = cooperationRecordDecider.decide(command, cooperationRecordDecider.initialState(), this.pipeline.clock());
        if (isDomainError(decided)) return { ok: false, failure: { kind: 'rejected', error: decided } };
      }
    }
    const casesPersonIds = new Map<string, string>();
    for (const [i, person] of persons.entries()) {
      if (person.support === null) continue;
      const { sex, dateOfBirth, residence, address } = person.support;
      const casesPersonId = await this.cases.register(
        {
          idempotencyKey: `cross-border:handed-over-person:${person.personId}`,
          fullName: person.fullName,
          dateOfBirth,
          sex,
          residence: { ...residence, address },
        },
        `persons[${i}].support`,
      );
      casesPersonIds.set(person.personId, casesPersonId);
    }
    // The request as sent is what a retry must repeat.
    const result = await this.pipeline.execute(cooperationRecord, recordId, command, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'register-cooperation-record', body: JSON.parse(JSON.stringify(request)) as unknown },
    });
    if (!result.ok || command.data.details.kind !== 'HANDOVER') return result;
    const { direction, category } = command.data.details;
    for (const person of persons) {
      const casesPersonId = casesPersonIds.get(person.personId);
      // Before the person's stream: an erasure in cases must find every handed-over person it is (cases-person-links.ts).
      if (casesPersonId !== undefined) await linkCasesPerson(this.store, casesPersonId, person.personId);
      const recorded = await this.pipeline.execute(
        handedOverPerson,
        person.personId,
        {
          type: 'RecordHandedOverPerson',
          data: {
            personId: person.personId,
            recordId,
            provinceCode: command.data.provinceCode,
            direction,
            category,
            occurredOn: command.data.occurredOn,
            recordedByAgency: principal.agency.code,
            fullName: person.fullName,
            birthYear: person.birthYear,
            supportAgency: person.supportAgency,
            needs: person.needs,
            support: person.support,
            casesPersonId: casesPersonId ?? null,
          },
        },
        // Derived from the record, so a retry of the registration finds each person appended once.
        { expected: 'new', idempotencyKey: `person:${person.personId}`, idempotencyScope: PERSONS_KEY_SCOPE, request: { recordId, personId: person.personId } },
      );
      if (!recorded.ok) throw new Error(`handed-over person not recorded: ${recorded.failure.kind}`);
    }
    return result;
  }
}

/** A person as sent, with the id of their stream. */
function namedPerson(person: NonNullable<RegisterCooperationRecordRequestDto['persons']>[number], personId: string): NamedPerson {
  const support = person.support;
  return {
    personId,
    fullName: person.fullName,
    birthYear: person.birthYear ?? null,
    supportAgency: support?.supportAgency ?? null,
    needs: (support?.needs ?? []).map((n) => ({ need: n.need, agency: n.agency })),
    support:
      support === undefined
        ? null
        : {
            sex: support.sex,
            dateOfBirth: support.dateOfBirth,
            residence: { provinceCode: support.residence.provinceCode, communeCode: support.residence.communeCode },
            address: support.residence.address,
          },
  };
}

/** The home commune must be in force and in the province given (what cases would refuse, named here field by field). */
function residenceErrors(persons: readonly NamedPerson[], now: Date): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, person] of persons.entries()) {
    if (person.support === null) continue;
    const { communeCode, provinceCode } = person.support.residence;
    const province = provinceOf(communeCode, now);
    const field = `persons[${i}].support.residence`;
    if (province === undefined) errors.push({ field: `${field}.communeCode`, message: `${field}.communeCode must be a commune in force` });
    else if (province !== provinceCode)
      errors.push({ field: `${field}.provinceCode`, message: `${field}.provinceCode must be the province of the commune (${province})` });
  }
  return errors;
}

/**
 * What each person asks of whom, named field by field before anyone is registered in cases: support
 * as a whole or at least one need; each need once; each agency of the record's province, of a type
 * that provides the need (NEED_RECEIVER_TYPES), a commune one in force there.
 */
function needErrors(persons: readonly NamedPerson[], provinceCode: string, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const agencyError = (field: string, code: string, types: readonly string[]): void => {
    const [, province, type, suffix] = /^(\d{2})-([A-Z_]+)(?:-(.+))?$/.exec(code) ?? [];
    if (province !== provinceCode) errors.push({ field, message: `${field} must be an agency of the record's province (${provinceCode})` });
    else if (type === undefined || !types.includes(type)) errors.push({ field, message: `${field} must be an agency of type ${types.join(' or ')}` });
    else if (type === 'COMMUNE' && (suffix === undefined || provinceOf(suffix, now) !== provinceCode))
      errors.push({ field, message: `${field} must name a commune in force in the province (${provinceCode}-COMMUNE-<commune code>)` });
  };
  for (const [i, person] of persons.entries()) {
    if (person.support === null) continue;
    const field = `persons[${i}].support`;
    if (person.supportAgency === null && person.needs.length === 0)
      errors.push({ field: `${field}.needs`, message: `${field}.needs (or supportAgency) is required to ask for support` });
    if (person.supportAgency !== null) agencyError(`${field}.supportAgency`, person.supportAgency, ['HEALTH', 'COMMUNE']);
    const seen = new Set<string>();
    for (const [j, asked] of person.needs.entries()) {
      if (seen.has(asked.need)) errors.push({ field: `${field}.needs[${j}].need`, message: `${field}.needs[${j}].need is listed twice` });
      seen.add(asked.need);
      agencyError(`${field}.needs[${j}].agency`, asked.agency, NEED_RECEIVER_TYPES[asked.need]);
    }
  }
  return errors;
}

/** The details of the request's kind, copied field by field (nothing unvalidated reaches the decider). */
function detailsOf(request: RegisterCooperationRecordRequestDto): RecordDetails {
  switch (request.kind) {
    case 'MEETING': {
      const m = request.meeting;
      return {
        kind: 'MEETING',
        level: m?.level as never,
        place: m?.place ?? '',
        agreedPoints: (m?.agreedPoints ?? []).map((p) => ({ vi: p.vi, zh: p.zh ?? null })),
      };
    }
    case 'INFORMATION_EXCHANGE': {
      const e = request.informationExchange;
      return {
        kind: 'INFORMATION_EXCHANGE',
        channel: e?.channel as never,
        direction: e?.direction as never,
        subject: e?.subject as never,
        replyWithinWorkingDays: e?.replyWithinWorkingDays ?? null,
        replyDueOn: null,
      };
    }
    case 'JOINT_PATROL': {
      const p = request.jointPatrol;
      return {
        kind: 'JOINT_PATROL',
        markerFrom: p?.markerFrom ?? '',
        markerTo: p?.markerTo ?? '',
        vietnameseUnits: [...(p?.vietnameseUnits ?? [])],
        chineseUnits: [...(p?.chineseUnits ?? [])],
      };
    }
    case 'JOINT_CASE': {
      const c = request.jointCase;
      return {
        kind: 'JOINT_CASE',
        caseNumberVn: c?.caseNumberVn ?? '',
        caseNumberCn: c?.caseNumberCn ?? '',
        offence: c?.offence as never,
        arrests: (c?.arrests ?? []).map((a) => ({ nationality: a.nationality as never, count: a.count })),
        seizures: (c?.seizures ?? []).map((s) => ({ substance: s.substance as never, quantity: s.quantity, unit: s.unit as never })),
      };
    }
    case 'HANDOVER': {
      const h = request.handover;
      return {
        kind: 'HANDOVER',
        direction: h?.direction as never,
        category: h?.category as never,
        count: h?.count ?? 0,
        minutesNumber: h?.minutesNumber ?? '',
        minutesSignedOn: h?.minutesSignedOn ?? '',
      };
    }
    case 'PERIOD_SUMMARY': {
      const s = request.periodSummary;
      return {
        kind: 'PERIOD_SUMMARY',
        periodFrom: s?.periodFrom ?? '',
        periodTo: s?.periodTo ?? '',
        figures: (s?.figures ?? []).map((f) => ({ category: f.category, value: f.value })),
      };
    }
  }
}

/** The id a registration under `idempotencyKey` by `agencyCode` gets (demo data and tests find records by it). */
export const cooperationRecordIdFor = (agencyCode: string, idempotencyKey: string): string =>
  deterministicUuid(cooperationRecord.idNamespace, agencyCode, idempotencyKey);
