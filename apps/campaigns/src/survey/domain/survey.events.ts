import type { IsoDate } from '@haidang/calendar';

/**
 * An awareness survey (khảo sát nhận thức): for each group and locality, how many were asked and
 * how many understood drug addiction and its prevention and treatment. The "60% of officials" and
 * "> 50% of adults" targets are aware / sample size. Counts only.
 */
export const SURVEY_GROUPS = ['OFFICIALS', 'ADULTS', 'STUDENTS', 'REHAB_STAFF'] as const;
export type SurveyGroup = (typeof SURVEY_GROUPS)[number];

export interface SurveyResult {
  readonly group: SurveyGroup;
  /** A province (`22`) or a commune (`06793`). */
  readonly unitCode: string;
  readonly sampleSize: number;
  readonly aware: number;
}

export type SurveyRecorded = {
  readonly type: 'SurveyRecorded';
  readonly data: {
    readonly surveyId: string;
    readonly provinceCode: string;
    readonly conductedBy: string;
    readonly conductedFrom: IsoDate;
    readonly conductedTo: IsoDate;
    readonly planId: string | null;
    readonly results: readonly SurveyResult[];
  };
};

export type SurveyEvent = SurveyRecorded;
export const SURVEY_EVENT_SCHEMA_VERSIONS: Readonly<Record<SurveyEvent['type'], number>> = { SurveyRecorded: 1 };

/** Streams `Survey-<uuid>`. */
export const SURVEY_AGGREGATE = 'Survey';
