import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { findCounterpartUnit, findCrossing } from '../../registers/domain';
import { cooperationRecordError, type CooperationRecordEvent, type CorrectedRecordFacts, type RecordDetails, type RegisterCooperationRecord } from '../domain';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { cooperationRecord } from '../cooperation-record.aggregate';
import { DETAILS_FIELD, type RegisterCooperationRecordRequestDto } from './register-cooperation-record.request.dto';

/**
 * Registers a cooperation record: scope first (the caller's province), then the facts the service
 * looks up (register codes, the record a correction names), then the id from the agency and its
 * Idempotency-Key, then the pipeline.
 */
@Injectable()
export class RegisterCooperationRecordHandler {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

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
        persons: request.persons === undefined ? null : request.persons.map((p) => ({ fullName: p.fullName, birthYear: p.birthYear ?? null })),
        unknownCodes,
        crossingProvinceCode: crossing?.provinceCode ?? null,
      },
    };
    // The request as sent is what a retry must repeat.
    return this.pipeline.execute(cooperationRecord, recordId, command, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'register-cooperation-record', body: JSON.parse(JSON.stringify(request)) as unknown },
    });
  }
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
