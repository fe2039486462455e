/**
 * `npm start` on a machine with nothing but Node: the embedded PostgreSQL in a data directory that
 * does not exist yet, every migration, the in-process transport, the services (cases, referrals)
 * answering, the demo data (persons and cases, then referrals in every status) loaded through the
 * APIs and the printed dev tokens working; ready, then a clean stop. A second start on the same
 * data keeps the demo data as it was (no duplicates).
 */
import { waitFor } from '@haidang/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vietnamDateOf } from '@haidang/calendar';

jest.setTimeout(360_000);

interface Started {
  readonly child: ChildProcess;
  readonly output: string;
  readonly casesUrl: string;
  readonly referralsUrl: string;
  /** From spawning to the last line printed. */
  readonly seconds: number;
  stop(): Promise<number | null>;
}

async function startPlatform(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, HAIDANG_DATA_DIR: dataDir, CASES_PORT: '0', REFERRALS_PORT: '0', LOG_LEVEL: 'warn' };
  const spawned = Date.now();
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  // As `npm start` runs it: swc keeps the decorator metadata Nest's injection and validation need.
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'tools', 'start.ts')], {
    cwd: join(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  };
  try {
    const deadline = Date.now() + 150_000;
    // The last line printed once everything (demo data and tokens included) is ready.
    while (!/Stop with Ctrl-C/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const casesUrl = /cases\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/.exec(output)?.[1];
    if (!casesUrl) throw new Error(`no cases URL printed:\n${output}`);
    const referralsUrl = /referrals\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/.exec(output)?.[1];
    if (!referralsUrl) throw new Error(`no referrals URL printed:\n${output}`);
    return { child, output, casesUrl, referralsUrl, seconds: (Date.now() - spawned) / 1000, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

const printed = (output: string, name: string): string => {
  const value = new RegExp(`^\\s*${name}=(\\S+)$`, 'm').exec(output)?.[1];
  if (!value) throw new Error(`${name} not printed`);
  return value;
};

/** The persons list is a read model: 503 while it is built right after a start. */
async function personsIn06793(casesUrl: string, token: string): Promise<{ total: number; items: unknown[] }> {
  for (;;) {
    const response = await fetch(`${casesUrl}/api/v1/persons?communeCode=06793`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 503) {
      expect(response.status).toBe(200);
      return (await response.json()) as { total: number; items: unknown[] };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface ReferralItem {
  readonly fromAgency: string;
  readonly toAgency: string | null;
  readonly status: string;
  readonly dueOn: string | null;
  readonly consentWithdrawn: boolean;
  readonly serviceType: string;
  readonly caseId: string | null;
}

/** An agency's inbox or outbox (a read model: 503 while it is built right after a start). */
async function referrals(referralsUrl: string, token: string, direction: 'incoming' | 'outgoing'): Promise<{ total: number; items: ReferralItem[] }> {
  for (;;) {
    const response = await fetch(`${referralsUrl}/api/v1/referrals?direction=${direction}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 503) {
      expect(response.status).toBe(200);
      return (await response.json()) as { total: number; items: ReferralItem[] };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every demo referral, through the outboxes of its senders (the commune, the facility, health). */
async function demoReferrals(started: Started): Promise<ReferralItem[]> {
  const senders = ['COMMUNE_TOKEN', 'FACILITY_TOKEN', 'HEALTH_TOKEN'];
  const pages = await Promise.all(senders.map((name) => referrals(started.referralsUrl, printed(started.output, name), 'outgoing')));
  return pages.flatMap((page) => page.items);
}

it('starts the embedded platform from nothing with demo data and tokens, restarts without duplicating it, and stops cleanly', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hd-start-'));
  const dataDir = join(scratch, 'fresh', 'pglite');
  let running: Started | undefined;
  try {
    running = await startPlatform(dataDir);
    const first = running;
    expect(first.output).toMatch(/Hải Đăng is up/);
    expect(first.output).toMatch(/embedded PGlite/);
    expect(first.output).toMatch(/in-process event bus/);
    expect(first.output).toMatch(/demo data\s+loaded/);
    expect((await fetch(`${first.casesUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${first.casesUrl}/api/v1/persons`)).status).toBe(401);

    const commune = printed(first.output, 'COMMUNE_TOKEN');
    const caseId = /demo case\s+([0-9a-f-]{36})/.exec(first.output)?.[1];
    expect(caseId).toBeDefined();
    const persons = await personsIn06793(first.casesUrl, commune);
    expect(persons.total).toBeGreaterThan(0);
    expect(persons.items.length).toBeGreaterThan(0);
    const demoCase = await fetch(`${first.casesUrl}/api/v1/rehab-cases/${caseId}`, { headers: { authorization: `Bearer ${commune}` } });
    expect(demoCase.status).toBe(200);
    expect(((await demoCase.json()) as { status: string }).status).toBe('IN_REHAB');
    // The other printed tokens are real: the PPC sees no persons, the facility reads the case.
    const ppc = await fetch(`${first.casesUrl}/api/v1/persons?communeCode=06793`, {
      headers: { authorization: `Bearer ${printed(first.output, 'PPC_TOKEN')}` },
    });
    expect(ppc.status).toBe(403);
    const facility = await fetch(`${first.casesUrl}/api/v1/rehab-cases/${caseId}`, {
      headers: { authorization: `Bearer ${printed(first.output, 'FACILITY_TOKEN')}` },
    });
    expect(facility.status).toBe(200);

    // Referrals: up, closed to the anonymous, and the demo referrals where the printed tokens see them.
    expect((await fetch(`${first.referralsUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${first.referralsUrl}/api/v1/referrals?direction=incoming`)).status).toBe(401);
    expect(first.output).toMatch(/demo referrals\s+loaded/);
    const inbox = await referrals(first.referralsUrl, printed(first.output, 'EMPLOYMENT_CENTRE_TOKEN'), 'incoming');
    expect(inbox.items).toContainEqual(expect.objectContaining({ fromAgency: '22-COMMUNE-06793', toAgency: '22-EMPLOYMENT_CENTRE', status: 'SENT' }));
    const club = await referrals(first.referralsUrl, printed(first.output, 'SUPPORT_MODEL_TOKEN'), 'incoming');
    expect(club.items).toContainEqual(expect.objectContaining({ toAgency: '22-SUPPORT_MODEL-3', status: 'ACCEPTED', consentWithdrawn: true }));
    // The centre redirected a driving course to the Department of Education (vocational education since 2025).
    const education = await referrals(first.referralsUrl, printed(first.output, 'EDUCATION_TOKEN'), 'incoming');
    expect(education.items).toContainEqual(expect.objectContaining({ toAgency: '22-EDUCATION' }));
    // Due today, so overdue from tomorrow (a due date cannot be set in the past).
    const health = await referrals(first.referralsUrl, printed(first.output, 'HEALTH_TOKEN'), 'incoming');
    expect(health.items).toContainEqual(expect.objectContaining({ status: 'SENT', dueOn: vietnamDateOf(new Date()) }));
    // Besides the demo's own, the platform proposes job-counselling drafts for the demo's completed
    // rehab cases (cases.RehabCompleted.v1 → referrals), as they arrive.
    const all = (await demoReferrals(first)).filter((r) => !(r.status === 'DRAFT' && r.serviceType === 'JOB_COUNSELLING'));
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['DRAFT', 'SENT', 'REDIRECTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'COMPLETED']));
    expect(first.output).toContain(`${all.length} about the demo persons`);
    const proposals = async () => (await demoReferrals(first)).filter((r) => r.status === 'DRAFT' && r.serviceType === 'JOB_COUNSELLING');
    await waitFor(async () => (await proposals()).length > 0, { timeoutMs: 20_000, description: 'job-counselling drafts proposed from completed demo cases' });
    expect((await proposals()).every((r) => r.toAgency === '22-EMPLOYMENT_CENTRE')).toBe(true);
    expect(await first.stop()).toBe(0);

    running = await startPlatform(dataDir);
    const second = running;
    expect(second.output).toMatch(/demo data\s+already present/);
    expect(/demo case\s+([0-9a-f-]{36})/.exec(second.output)?.[1]).toBe(caseId);
    expect((await personsIn06793(second.casesUrl, printed(second.output, 'COMMUNE_TOKEN'))).total).toBe(persons.total);
    expect(second.output).toMatch(/demo referrals\s+already present/);
    // Nothing doubled: the demo's own as before, and one job-counselling draft per completed case at most.
    const again = await demoReferrals(second);
    expect(again.filter((r) => !(r.status === 'DRAFT' && r.serviceType === 'JOB_COUNSELLING')).length).toBe(all.length);
    const drafts = again.filter((r) => r.status === 'DRAFT' && r.serviceType === 'JOB_COUNSELLING');
    expect(new Set(drafts.map((r) => r.caseId)).size).toBe(drafts.length);
    expect((await referrals(second.referralsUrl, printed(second.output, 'EMPLOYMENT_CENTRE_TOKEN'), 'incoming')).total).toBe(inbox.total);
    expect(await second.stop()).toBe(0);
    // How long `npm start` takes is measured, not asserted (speed belongs to `npm run bench`; this machine is shared).
    process.stdout.write(`npm start: first start ${first.seconds.toFixed(1)} s (demo data loaded), second ${second.seconds.toFixed(1)} s\n`);
  } finally {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
});
