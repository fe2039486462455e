import type { IsoDate } from '@haidang/calendar';
import type { NeedAsked, SupportDetails } from '../../handed-over-person/domain';
import type { CooperationRecordRegistered, LocalizedText, RecordKind, RecordSealed } from './cooperation-record.events';

/** A person named in a handover's minutes, as the officer sent them (recorded in their own stream, `personId`). */
export interface NamedPerson {
  readonly personId: string;
  readonly fullName: string;
  readonly birthYear: number | null;
  /** The agency asked for support, with what `cases` needs to register the person; both null when none is asked. */
  readonly supportAgency: string | null;
  /** The needs asked one by one (shelter, health, legal aid), each of its agency; empty when none. */
  readonly needs: readonly NeedAsked[];
  readonly support: SupportDetails | null;
}

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

/** What the service found about the record a correction names (the decider checks it). */
export interface CorrectedRecordFacts {
  readonly recordId: string;
  readonly exists: boolean;
  readonly sealed: boolean;
  readonly kind: RecordKind | null;
  readonly provinceCode: string | null;
}

export type RegisterCooperationRecord = {
  readonly type: 'RegisterCooperationRecord';
  readonly data: Omit<CooperationRecordRegistered['data'], 'corrects' | 'personIds'> & {
    /** Handovers only: the persons named (the record keeps their ids). */
    readonly persons: readonly NamedPerson[] | null;
    readonly corrects: CorrectedRecordFacts | null;
    /** Crossing and counterpart codes the registers do not know (the service looks them up). */
    readonly unknownCodes: readonly string[];
    /** The province of the named crossing, from the register (null: none named). */
    readonly crossingProvinceCode: string | null;
  };
};

export type AddTranslation = {
  readonly type: 'AddTranslation';
  readonly data: { readonly zh: LocalizedText; readonly agreedPointsZh: readonly string[]; readonly translator: string };
};

export type RecordReply = { readonly type: 'RecordReply'; readonly data: { readonly receivedOn: IsoDate } };

/** The seal as the service computed and signed it over the state the command is decided on. */
export type SealRecord = { readonly type: 'SealRecord'; readonly data: RecordSealed['data'] };

export type CooperationRecordCommand = RegisterCooperationRecord | AddTranslation | RecordReply | SealRecord;
