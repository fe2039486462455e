import { rules, validateShape, type FieldRule, type Validation } from './validate';

/**
 * Integration events the cross-border service publishes for `projections` and any other reader.
 * They are not its domain events: they carry ids, codes, the period and the figures a record adds
 * to the statistics, never a name or a text, so any subscriber may store them. `type` names the
 * version; `version` repeats it. A new shape is a new type (`….v2`), published next to the old one.
 */
export const CrossBorderIntegrationEventTypes = {
  FiguresRecordedV1: 'cross-border.FiguresRecorded.v1',
  RecordSealedV1: 'cross-border.RecordSealed.v1',
  ReceivedPersonNeedsSupportV1: 'cross-border.ReceivedPersonNeedsSupport.v1',
  ReceivedPersonNeedsSupportV2: 'cross-border.ReceivedPersonNeedsSupport.v2',
} as const;

export const CROSS_BORDER_RECORD_KINDS = ['MEETING', 'INFORMATION_EXCHANGE', 'JOINT_PATROL', 'JOINT_CASE', 'HANDOVER', 'PERIOD_SUMMARY'] as const;
export type CrossBorderRecordKind = (typeof CROSS_BORDER_RECORD_KINDS)[number];

export interface CrossBorderFigure {
  /** A statistic category code, e.g. `RECEIVED_TRAFFICKING_VICTIM`, `SEIZED_HEROIN_BRICK`, `JOINT_CASES_DRUGS`. */
  readonly category: string;
  readonly value: number;
}

/**
 * A record was registered and adds these figures to its province (and crossing) for its period. A
 * record that `supersedes` another replaces that one's figures: readers drop the superseded record's.
 * Period summaries (`kind: PERIOD_SUMMARY`) report totals for a whole period and are not to be added
 * to the individual records of the same period.
 */
export interface FiguresRecordedV1 {
  readonly type: 'cross-border.FiguresRecorded.v1';
  readonly version: 1;
  /** The id of the domain event this one was made from: consumers dedupe on it. */
  readonly eventId: string;
  readonly recordId: string;
  readonly kind: CrossBorderRecordKind;
  readonly provinceCode: string;
  readonly crossingCode: string | null;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly figures: readonly CrossBorderFigure[];
  readonly supersedesRecordId: string | null;
  readonly recordedByAgency: string;
  readonly occurredAt: string;
}

/** A record both sides signed was sealed: its content hash, for readers that keep an index of seals. */
export interface RecordSealedV1 {
  readonly type: 'cross-border.RecordSealed.v1';
  readonly version: 1;
  readonly eventId: string;
  readonly recordId: string;
  readonly kind: CrossBorderRecordKind;
  readonly provinceCode: string;
  readonly sealedOn: string;
  readonly contentHash: string;
  readonly recordedByAgency: string;
  readonly occurredAt: string;
}

/**
 * A person received from China in a handover (a trafficking victim, or a returned citizen who needs
 * support) is now a person of `cases` (`personId`): the agency that received them asks `supportAgency`
 * for support (the referrals service makes the referral, once per `handedOverPersonId`). Ids and
 * codes only; the names stay encrypted in cross-border and cases.
 */
export interface ReceivedPersonNeedsSupportV1 {
  readonly type: 'cross-border.ReceivedPersonNeedsSupport.v1';
  readonly version: 1;
  readonly eventId: string;
  /** The person as cross-border knows them (one per person named in the handover's minutes). */
  readonly handedOverPersonId: string;
  readonly recordId: string;
  /** The person in `cases`. */
  readonly personId: string;
  readonly category: 'TRAFFICKING_VICTIM' | 'RETURNED_CITIZEN';
  readonly provinceCode: string;
  readonly receivedOn: string;
  /** The agency that received the person at the border: the referral's sender. */
  readonly receivedByAgency: string;
  /** The agency asked for support (shelter, health, legal aid): the referral's receiver. */
  readonly supportAgency: string;
  readonly occurredAt: string;
}

/**
 * What a person received needs, each asked of one agency:
 * - `VICTIM_SUPPORT`: support as a whole (what v1's `supportAgency` asked), to the Department of Health or the home commune;
 * - `SHELTER`: a place to stay (commune, or the Department of Health's social-protection establishments);
 * - `HEALTH`: health care, to the Department of Health (no treatment data goes with it: the border guard has none);
 * - `LEGAL_AID`: legal aid (commune, or the Department of Health's social-protection services).
 * The referrals service decides which of its service types each need becomes.
 */
export const RECEIVED_PERSON_NEEDS = ['VICTIM_SUPPORT', 'SHELTER', 'HEALTH', 'LEGAL_AID'] as const;
export type ReceivedPersonNeed = (typeof RECEIVED_PERSON_NEEDS)[number];

export interface ReceivedPersonNeedAsked {
  readonly need: ReceivedPersonNeed;
  /** The agency asked: the referral's receiver. */
  readonly agency: string;
}

/**
 * v2 of ReceivedPersonNeedsSupport: the needs, each with the agency asked, instead of one
 * `supportAgency` (one referral per need). A v1 event reads as v2 through
 * `upcastReceivedPersonNeedsSupport`: its `supportAgency` is the one need `VICTIM_SUPPORT`.
 */
export interface ReceivedPersonNeedsSupportV2 {
  readonly type: 'cross-border.ReceivedPersonNeedsSupport.v2';
  readonly version: 2;
  readonly eventId: string;
  readonly handedOverPersonId: string;
  readonly recordId: string;
  readonly personId: string;
  readonly category: 'TRAFFICKING_VICTIM' | 'RETURNED_CITIZEN';
  readonly provinceCode: string;
  readonly receivedOn: string;
  readonly receivedByAgency: string;
  /** One to four, each need at most once. */
  readonly needs: readonly ReceivedPersonNeedAsked[];
  readonly occurredAt: string;
}

export type CrossBorderIntegrationEvent = FiguresRecordedV1 | RecordSealedV1 | ReceivedPersonNeedsSupportV1 | ReceivedPersonNeedsSupportV2;

const CATEGORY = /^[A-Z][A-Z_]{1,59}$/;
const CROSSING = /^[A-Z0-9-]{2,40}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const figures: FieldRule = (value) => {
  if (!Array.isArray(value)) return 'must be a list';
  for (const [i, figure] of value.entries()) {
    const f = figure as { category?: unknown; value?: unknown } | null;
    if (typeof f !== 'object' || f === null || Object.keys(f).some((k) => k !== 'category' && k !== 'value')) return `[${i}]: must be { category, value }`;
    if (typeof f.category !== 'string' || !CATEGORY.test(f.category)) return `[${i}].category: must be a category code`;
    if (typeof f.value !== 'number' || !Number.isFinite(f.value) || f.value < 0) return `[${i}].value: must be a number of zero or more`;
  }
  return undefined;
};
const crossingCode: FieldRule = (v) => (typeof v === 'string' && CROSSING.test(v) ? undefined : 'must be a crossing code');
const sha256: FieldRule = (v) => (typeof v === 'string' && SHA256_HEX.test(v) ? undefined : 'must be a SHA-256 in hex');

export function validateFiguresRecordedV1(value: unknown): Validation<FiguresRecordedV1> {
  return validateShape(value, {
    type: rules.literal(CrossBorderIntegrationEventTypes.FiguresRecordedV1),
    version: rules.literal(1),
    eventId: rules.uuid,
    recordId: rules.uuid,
    kind: rules.oneOf(CROSS_BORDER_RECORD_KINDS),
    provinceCode: rules.digits(2),
    crossingCode: rules.nullable(crossingCode),
    periodFrom: rules.localDate,
    periodTo: rules.localDate,
    figures,
    supersedesRecordId: rules.nullable(rules.uuid),
    recordedByAgency: rules.agencyCode,
    occurredAt: rules.instant,
  });
}

export function validateRecordSealedV1(value: unknown): Validation<RecordSealedV1> {
  return validateShape(value, {
    type: rules.literal(CrossBorderIntegrationEventTypes.RecordSealedV1),
    version: rules.literal(1),
    eventId: rules.uuid,
    recordId: rules.uuid,
    kind: rules.oneOf(CROSS_BORDER_RECORD_KINDS),
    provinceCode: rules.digits(2),
    sealedOn: rules.localDate,
    contentHash: sha256,
    recordedByAgency: rules.agencyCode,
    occurredAt: rules.instant,
  });
}

export function validateReceivedPersonNeedsSupportV1(value: unknown): Validation<ReceivedPersonNeedsSupportV1> {
  return validateShape(value, {
    type: rules.literal(CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1),
    version: rules.literal(1),
    eventId: rules.uuid,
    handedOverPersonId: rules.uuid,
    recordId: rules.uuid,
    personId: rules.uuid,
    category: rules.oneOf(['TRAFFICKING_VICTIM', 'RETURNED_CITIZEN']),
    provinceCode: rules.digits(2),
    receivedOn: rules.localDate,
    receivedByAgency: rules.agencyCode,
    supportAgency: rules.agencyCode,
    occurredAt: rules.instant,
  });
}

const needs: FieldRule = (value) => {
  if (!Array.isArray(value) || value.length < 1 || value.length > RECEIVED_PERSON_NEEDS.length)
    return `must be a list of 1 to ${RECEIVED_PERSON_NEEDS.length} needs`;
  const seen = new Set<string>();
  for (const [i, item] of value.entries()) {
    const n = item as { need?: unknown; agency?: unknown } | null;
    if (typeof n !== 'object' || n === null || Object.keys(n).some((k) => k !== 'need' && k !== 'agency')) return `[${i}]: must be { need, agency }`;
    if (typeof n.need !== 'string' || !(RECEIVED_PERSON_NEEDS as readonly string[]).includes(n.need)) return `[${i}].need: must be one of the listed needs`;
    if (seen.has(n.need)) return `[${i}].need: is listed twice`;
    seen.add(n.need);
    const agency = rules.agencyCode(n.agency);
    if (agency !== undefined) return `[${i}].agency: ${agency}`;
  }
  return undefined;
};

export function validateReceivedPersonNeedsSupportV2(value: unknown): Validation<ReceivedPersonNeedsSupportV2> {
  return validateShape(value, {
    type: rules.literal(CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2),
    version: rules.literal(2),
    eventId: rules.uuid,
    handedOverPersonId: rules.uuid,
    recordId: rules.uuid,
    personId: rules.uuid,
    category: rules.oneOf(['TRAFFICKING_VICTIM', 'RETURNED_CITIZEN']),
    provinceCode: rules.digits(2),
    receivedOn: rules.localDate,
    receivedByAgency: rules.agencyCode,
    needs,
    occurredAt: rules.instant,
  });
}

/**
 * A v1 or v2 event as v2 (v1 stays readable: messages already in the stream, a replay). A v1 asked
 * one agency for support as a whole: the need `VICTIM_SUPPORT`. Anything else, or a broken event,
 * is the validator's errors.
 */
export function upcastReceivedPersonNeedsSupport(value: unknown): Validation<ReceivedPersonNeedsSupportV2> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type === CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2) return validateReceivedPersonNeedsSupportV2(value);
  if (type !== CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1) return { ok: false, errors: ['type: is not a ReceivedPersonNeedsSupport event'] };
  const checked = validateReceivedPersonNeedsSupportV1(value);
  if (!checked.ok) return checked;
  const { type: _type, version: _version, supportAgency, ...rest } = checked.value;
  return {
    ok: true,
    value: {
      ...rest,
      type: CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2,
      version: 2,
      needs: [{ need: 'VICTIM_SUPPORT', agency: supportAgency }],
    },
  };
}

/** Any cross-border integration event, chosen by its `type`. */
export function validateCrossBorderIntegrationEvent(value: unknown): Validation<CrossBorderIntegrationEvent> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type === CrossBorderIntegrationEventTypes.FiguresRecordedV1) return validateFiguresRecordedV1(value);
  if (type === CrossBorderIntegrationEventTypes.RecordSealedV1) return validateRecordSealedV1(value);
  if (type === CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV1) return validateReceivedPersonNeedsSupportV1(value);
  if (type === CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2) return validateReceivedPersonNeedsSupportV2(value);
  return { ok: false, errors: ['type: is not a known cross-border integration event'] };
}
