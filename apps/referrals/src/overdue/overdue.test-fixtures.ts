import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { NO_STREAM } from '@haidang/event-store';
import { withReadModel } from '@haidang/projections';
import { parseAgencyCode, runWithContext, type Agency } from '@haidang/request-context';
import { referralsProjection } from '../projections/referrals/referrals.projection';
import { decide, isDomainError, type ReferralCommand } from '../referral/domain';
import { referralStream, type ReferralStore } from '../referral/referral.aggregate';

/** Test helpers of the overdue specs: referrals recorded through the referral's store, as the service would, without the cases service. */

export const FACILITY = '22-REHAB_FACILITY-1';
/** Holds DOLISA's labour and employment function since 2025-03-01 (ADR 0010): the specs live in 2039. */
export const HOME_AFFAIRS = '22-HOME_AFFAIRS';
export const EMPLOYMENT = '22-EMPLOYMENT_CENTRE';

/**
 * 10:00 in Vietnam on `day`. The specs live in 2039 (the calendar's data reaches 2040) so that the
 * lists' own "pending after the due date today" (the real today) is false and only the flag the
 * checker sets can make a referral overdue in them.
 */
export const at = (day: string): Date => new Date(`${day}T03:00:00Z`);

/** A clock the specs move by hand. */
export function manualClock(start: string): { now: () => Date; set(day: string): void } {
  let current = at(start);
  return {
    now: () => current,
    set(day: string) {
      current = at(day);
    },
  };
}

/** Decides `command` on the referral as it stands and appends the events as an officer of `agency` (`officer@<agency>`) would. */
export async function referralStep(referrals: ReferralStore, referralId: string, agency: string, command: ReferralCommand, now: Date): Promise<void> {
  const { state, version } = await referrals.load(referralId);
  const events = decide(command, state, now);
  if (isDomainError(events)) throw new Error(`fixture step ${command.type} refused: ${events.code}`);
  const personId = state.personId ?? (command.type === 'CreateReferral' || command.type === 'ProposeReferral' ? command.data.personId : null);
  if (personId === null) throw new Error('fixture: no person');
  const principal = { sub: `officer@${agency}`, agency: parseAgencyCode(agency) as Agency, roles: ['caseworker' as const], jurisdiction: ['22'] };
  await runWithContext({ correlationId: randomUUID(), principal }, () =>
    referrals.append(referralId, personId, events, version < 0 ? NO_STREAM : BigInt(version)),
  );
}

export function referralSteps(referrals: ReferralStore) {
  const step = (referralId: string, agency: string, command: ReferralCommand, now: Date): Promise<void> =>
    referralStep(referrals, referralId, agency, command, now);
  return {
    /** A job-placement referral sent on `sentOn`, due `dueBy` (the sender's own date). */
    async send(options: { from?: string; to?: string; sentOn: string; dueBy: string }): Promise<string> {
      const referralId = randomUUID();
      const from = options.from ?? FACILITY;
      await step(
        referralId,
        from,
        {
          type: 'CreateReferral',
          data: {
            referralId,
            personId: randomUUID(),
            caseId: null,
            fromAgency: from,
            toAgency: options.to ?? EMPLOYMENT,
            serviceType: 'JOB_PLACEMENT',
            reason: 'Completed rehab; looking for work near home.',
            urgency: 'NORMAL',
            dueBy: options.dueBy,
          },
        },
        at(options.sentOn),
      );
      return referralId;
    },
    accept: (referralId: string, by: string, on: string) => step(referralId, by, { type: 'AcceptReferral', data: { byAgency: by } }, at(on)),
    withdraw: (referralId: string, by: string, on: string) => step(referralId, by, { type: 'WithdrawReferral', data: { byAgency: by } }, at(on)),
    complete: (referralId: string, by: string, on: string) =>
      step(referralId, by, { type: 'CompleteReferral', data: { byAgency: by, outcome: 'SERVICE_PROVIDED' } }, at(on)),
    decline: (referralId: string, by: string, on: string) =>
      step(referralId, by, { type: 'DeclineReferral', data: { byAgency: by, reason: 'NO_CAPACITY' } }, at(on)),
    redirect: (referralId: string, by: string, to: string, on: string) =>
      step(referralId, by, { type: 'RedirectReferral', data: { byAgency: by, toAgency: to } }, at(on)),
  };
}

export interface OverdueEventRow {
  stream_name: string;
  data: { receiver: string; dueOn: string; markedOn: string };
  metadata: { actor?: string; agency?: string; correlationId?: string };
}

/** Every ReferralOverdue in the log. */
export async function overdueEvents(pool: Pool): Promise<OverdueEventRow[]> {
  const { rows } = await pool.query<OverdueEventRow>(
    `SELECT stream_name, data, metadata FROM es_events WHERE event_type = 'ReferralOverdue' ORDER BY global_position`,
  );
  return rows;
}

export async function overdueEventsOf(pool: Pool, referralId: string): Promise<OverdueEventRow[]> {
  return (await overdueEvents(pool)).filter((e) => e.stream_name === referralStream(referralId));
}

/** Whether the read model shows every referral at its stream's current version (specs wait on it with waitFor). */
export async function projected(readModel: DataSource, referrals: ReferralStore, ids: readonly string[]): Promise<boolean> {
  for (const id of ids) {
    const { version } = await referrals.load(id);
    const rows = await withReadModel(
      readModel,
      referralsProjection.name,
      (em) => em.query('SELECT version FROM referral_row WHERE referral_id = $1', [id]) as Promise<{ version: number }[]>,
    );
    if (rows[0]?.version !== version) return false;
  }
  return true;
}

/** Read-model row flags as the checker's candidate query sees them. */
export async function rowOf(
  readModel: DataSource,
  id: string,
): Promise<{ overdue: boolean; overdue_marked_on: string | null; status: string; to_agency: string | null }> {
  const rows = await withReadModel(
    readModel,
    referralsProjection.name,
    (em) =>
      em.query('SELECT overdue, overdue_marked_on, status, to_agency FROM referral_row WHERE referral_id = $1', [id]) as Promise<
        { overdue: boolean; overdue_marked_on: string | null; status: string; to_agency: string | null }[]
      >,
  );
  if (!rows[0]) throw new Error('no row');
  return rows[0];
}
