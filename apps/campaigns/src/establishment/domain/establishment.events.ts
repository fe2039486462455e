import type { IsoDate } from '@haidang/calendar';

/**
 * The register of places a target counts over (the denominators): industrial and economic zones,
 * and schools with their level, per province. An activity held in one names it, so "50% of zones
 * reached" and "50% of upper-secondary and vocational schools trained" are computable.
 */
export const ESTABLISHMENT_KINDS = ['INDUSTRIAL_ZONE', 'ECONOMIC_ZONE', 'SCHOOL'] as const;
export type EstablishmentKind = (typeof ESTABLISHMENT_KINDS)[number];

export const SCHOOL_LEVELS = ['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export type EstablishmentRegistered = {
  readonly type: 'EstablishmentRegistered';
  readonly data: {
    readonly establishmentId: string;
    readonly kind: EstablishmentKind;
    /** Only for a school. */
    readonly schoolLevel: SchoolLevel | null;
    readonly name: string;
    readonly communeCode: string;
    readonly provinceCode: string;
    readonly openedOn: IsoDate;
  };
};

export type EstablishmentClosed = { readonly type: 'EstablishmentClosed'; readonly data: { readonly closedOn: IsoDate } };

export type EstablishmentEvent = EstablishmentRegistered | EstablishmentClosed;
export const ESTABLISHMENT_EVENT_SCHEMA_VERSIONS: Readonly<Record<EstablishmentEvent['type'], number>> = { EstablishmentRegistered: 1, EstablishmentClosed: 1 };
/** Streams `Establishment-<uuid>`. */
export const ESTABLISHMENT_AGGREGATE = 'Establishment';
