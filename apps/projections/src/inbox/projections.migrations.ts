import type { Migration } from '@haidang/event-store';

/** Kinds whose facts count persons: the SQL views apply small-number protection to them. */
const PERSON_KINDS = `'REHAB_ADMISSION','REHAB_COMPLETED','POST_REHAB_MANAGEMENT','REFERRAL_ACCEPTED','JOB_COUNSELLING_GIVEN','VOCATIONAL_TRAINED','JOB_PLACED'`;

/**
 * The projections service's own tables (schema `insights`): the inbox of integration events
 * received (ids, codes, dates, counts; the contracts carry no personal field), the facts and plan
 * versions the indicators are computed from, the working lists, and a checkpoint per source. Then
 * the analysts' SQL access: views in schema `analytics` and the role `haidang_analyst` that can
 * read those views and nothing else (NOLOGIN; see the README to give it a login).
 */
export const projectionsServiceMigrations: readonly Migration[] = [
  {
    id: 'projections-0001-insights',
    sql: `
CREATE SCHEMA IF NOT EXISTS insights;
CREATE TABLE insights.inbox (
  seq bigserial PRIMARY KEY,
  message_id uuid NOT NULL UNIQUE,
  source text NOT NULL,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX inbox_source_seq ON insights.inbox (source, seq);
CREATE TABLE insights.source_checkpoint (
  source text PRIMARY KEY,
  applied bigint NOT NULL DEFAULT 0,
  last_occurred_at timestamptz,
  last_received_at timestamptz
);
CREATE TABLE insights.fact (
  message_id uuid NOT NULL,
  fact_no integer NOT NULL,
  kind text NOT NULL,
  subject_id text NOT NULL,
  province_code text NOT NULL,
  commune_code text,
  on_date date NOT NULL,
  category text NOT NULL DEFAULT '',
  ref text,
  amount numeric NOT NULL DEFAULT 1,
  voided boolean NOT NULL DEFAULT false,
  ended_on date,
  PRIMARY KEY (message_id, fact_no)
);
CREATE INDEX fact_province_kind ON insights.fact (province_code, kind, on_date);
CREATE INDEX fact_subject ON insights.fact (subject_id);
CREATE TABLE insights.plan_version (
  plan_id uuid NOT NULL,
  version_no integer NOT NULL,
  province_code text NOT NULL,
  number text NOT NULL,
  parent_plan_id uuid,
  period_from date NOT NULL,
  period_to date NOT NULL,
  effective_from date NOT NULL,
  targets jsonb NOT NULL,
  PRIMARY KEY (plan_id, version_no)
);
CREATE TABLE insights.case_item (
  case_id uuid PRIMARY KEY,
  province_code text NOT NULL,
  commune_code text NOT NULL,
  form text NOT NULL,
  status text NOT NULL,
  started_on date,
  expected_end_on date,
  completed_on date,
  recorded_by_agency text NOT NULL
);
CREATE TABLE insights.referral_item (
  referral_id uuid PRIMARY KEY,
  case_id uuid,
  service_type text NOT NULL,
  from_agency text NOT NULL,
  to_agency text NOT NULL,
  province_code text NOT NULL,
  commune_code text,
  accepted_on date NOT NULL,
  status text NOT NULL,
  outcome text
);
CREATE TABLE insights.employment_item (
  record_id uuid PRIMARY KEY,
  province_code text NOT NULL,
  commune_code text,
  stage text NOT NULL,
  stage_on date NOT NULL,
  placement_id uuid,
  job_start_on date,
  follow_ups_done integer[] NOT NULL DEFAULT '{}'
);`,
  },
  {
    id: 'projections-0002-analytics-views-and-role',
    sql: `
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE VIEW analytics.activity_facts AS
  SELECT kind, province_code, commune_code, on_date, category, amount
  FROM insights.fact WHERE NOT voided AND kind NOT IN (${PERSON_KINDS});
CREATE VIEW analytics.person_counts_by_province_month AS
  SELECT kind, category, province_code, date_trunc('month', on_date)::date AS month, sum(amount)::bigint AS count
  FROM insights.fact WHERE NOT voided AND kind IN (${PERSON_KINDS})
  GROUP BY kind, category, province_code, date_trunc('month', on_date);
-- Small-number protection by commune and month: counts 1–4 hidden, and where a row (kind, category,
-- month) has exactly one hidden, the smallest other is hidden too.
CREATE VIEW analytics.person_counts_by_commune_month AS
  WITH counts AS (
    SELECT kind, category, province_code, date_trunc('month', on_date)::date AS month, commune_code, sum(amount)::bigint AS n
    FROM insights.fact WHERE NOT voided AND kind IN (${PERSON_KINDS}) AND commune_code IS NOT NULL
    GROUP BY kind, category, province_code, date_trunc('month', on_date), commune_code
  ), marked AS (
    SELECT counts.*, (n > 0 AND n < 5) AS small,
      count(*) FILTER (WHERE n > 0 AND n < 5) OVER (PARTITION BY kind, category, province_code, month) AS smalls,
      row_number() OVER (PARTITION BY kind, category, province_code, month, (n > 0 AND n < 5) ORDER BY n, commune_code) AS rank_in_kind
    FROM counts
  )
  SELECT kind, category, province_code, month, commune_code,
    CASE WHEN small OR (smalls = 1 AND rank_in_kind = 1) THEN NULL ELSE n END AS count,
    (small OR (smalls = 1 AND rank_in_kind = 1)) AS suppressed
  FROM marked;
CREATE VIEW analytics.plan_targets AS
  SELECT p.plan_id, p.version_no, p.province_code, p.number, p.period_from, p.period_to, p.effective_from,
    t->>'indicator' AS indicator, t->>'kind' AS target_kind, t->>'comparison' AS comparison, (t->>'value')::numeric AS target_value,
    t->>'unitLevel' AS unit_level, t->>'span' AS span
  FROM insights.plan_version p CROSS JOIN LATERAL jsonb_array_elements(p.targets) AS t;
-- A role is cluster-wide; several databases of one server (tests) may create it at once.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'haidang_analyst') THEN CREATE ROLE haidang_analyst NOLOGIN; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT USAGE ON SCHEMA analytics TO haidang_analyst;
GRANT SELECT ON analytics.activity_facts, analytics.person_counts_by_province_month, analytics.person_counts_by_commune_month, analytics.plan_targets TO haidang_analyst;`,
  },
  {
    // Which version of the event → facts mapping built the derived tables: a deploy that changes it rebuilds them from the inbox.
    id: 'projections-0003-derived-version',
    sql: `CREATE TABLE insights.derived_version (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL);
INSERT INTO insights.derived_version (version) VALUES (1);`,
  },
];
