import type { Migration } from '@haidang/event-store';

/**
 * The referrals service's own tables, beyond PLATFORM_MIGRATIONS.
 *
 * `referrals_support_models` (issue 13 §5): the support models referrals knows of, as the campaigns
 * service's integration events told it (`projections/support-models`): the receivers a SUPPORT_MODEL
 * referral may go to. Codes, kind, commune, active or not and as of when; no person.
 */
export const referralsServiceMigrations: readonly Migration[] = [
  {
    id: 'referrals/0001-support-model-register',
    sql: `
      CREATE TABLE IF NOT EXISTS referrals_support_models (
        model_code   text        PRIMARY KEY,
        model_id     uuid        NOT NULL,
        kind         text,
        commune_code text,
        founded_on   date,
        active       boolean     NOT NULL,
        as_of        date        NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
