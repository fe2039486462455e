import type { IsoDate } from '@haidang/calendar';

/**
 * A training (tập huấn) of officials, staff, collaborators, teachers or volunteers: when, by whom,
 * on what, and how many took part in each group. Counts only, never a participant's name. Feeds
 * "100% of rehab and after-care staff trained" (against the staff register, not built yet).
 */
export const TRAINEE_GROUPS = ['REHAB_STAFF', 'AFTER_CARE_STAFF', 'OFFICIALS', 'COLLABORATORS', 'TEACHERS', 'VOLUNTEERS', 'COMMUNITY_LEADERS'] as const;
export type TraineeGroup = (typeof TRAINEE_GROUPS)[number];

export type TrainingHeld = {
  readonly type: 'TrainingHeld';
  readonly data: {
    readonly trainingId: string;
    readonly provinceCode: string;
    readonly organiser: string;
    readonly heldOn: IsoDate;
    readonly topic: string;
    readonly participants: readonly { readonly group: TraineeGroup; readonly count: number }[];
    readonly planId: string | null;
  };
};

export type TrainingEvent = TrainingHeld;
export const TRAINING_EVENT_SCHEMA_VERSIONS: Readonly<Record<TrainingEvent['type'], number>> = { TrainingHeld: 1 };
/** Streams `Training-<uuid>`. */
export const TRAINING_AGGREGATE = 'Training';
