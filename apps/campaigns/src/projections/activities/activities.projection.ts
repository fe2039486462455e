import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import { ACTIVITY_AGGREGATE, type ActivityRecorded, type ActivityWithdrawn } from '../../activity/domain/activity.events';

/**
 * The activities read model: codes, dates, form and counts (an activity holds nothing personal).
 * The read side knows the events (their types and data), not the aggregate or its commands.
 */
@Entity({ name: 'activity_row' })
export class ActivityRow {
  @PrimaryColumn('uuid', { name: 'activity_id' }) activityId!: string;
  @Column('text', { name: 'commune_codes', array: true }) communeCodes!: string[];
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text') organiser!: string;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Index() @Column('text', { name: 'held_on' }) heldOn!: string;
  @Index() @Column('text') form!: string;
  @Column('text', { name: 'venue_type' }) venueType!: string;
  @Column('text', { name: 'audience_type' }) audienceType!: string;
  @Column('integer', { name: 'audience_count' }) audienceCount!: number;
  @Column('text', { name: 'campaign_month', nullable: true }) campaignMonth!: string | null;
  @Column('uuid', { name: 'plan_id', nullable: true }) planId!: string | null;
  @Column('text', { name: 'article_outlet', nullable: true }) articleOutlet!: string | null;
  @Column('text', { name: 'article_url', nullable: true }) articleUrl!: string | null;
  @Index() @Column('text') status!: string;
  @Column('integer') version!: number;
}

type Events = {
  ActivityRecorded: ActivityRecorded['data'];
  ActivityWithdrawn: ActivityWithdrawn['data'];
};

const STREAM_PREFIX = `${ACTIVITY_AGGREGATE}-`;
const activityIdOf = (event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

/** Bump `version` whenever a handler or the row changes: the new version is built beside the old one. */
export const activitiesProjection = defineProjection<Events>({
  name: 'campaigns_activities',
  version: 2,
  entities: [ActivityRow],
  handlers: {
    ActivityRecorded: (event, _em, ctx) => {
      const activityId = activityIdOf(event);
      if (activityId === undefined) return;
      const d = event.data;
      ctx.upsert(ActivityRow, {
        activityId,
        communeCodes: [...d.communeCodes],
        provinceCode: d.provinceCode,
        organiser: d.organiser,
        heldOn: d.heldOn,
        form: d.form,
        venueType: d.venueType,
        audienceType: d.audienceType,
        audienceCount: d.audienceCount,
        campaignMonth: d.campaignMonth,
        planId: d.planId,
        articleOutlet: d.article?.outlet ?? null,
        articleUrl: d.article?.url ?? null,
        status: 'RECORDED',
        version: Number(event.revision),
      });
    },
    ActivityWithdrawn: (event, _em, ctx) => {
      const activityId = activityIdOf(event);
      if (activityId !== undefined) ctx.update(ActivityRow, { activityId }, { status: 'WITHDRAWN', version: Number(event.revision) });
    },
  },
});
