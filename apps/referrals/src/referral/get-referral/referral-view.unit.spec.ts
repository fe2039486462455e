import { replay } from '../domain';
import { at, COMMUNE, createCommand, FACILITY, history } from '../domain/referral.test-fixtures';
import { viewFor } from './get-referral.http.controller';

describe('what each party sees of a referral', () => {
  const rehab = replay(
    history(
      createCommand({
        fromAgency: COMMUNE,
        toAgency: FACILITY,
        serviceType: 'REHAB_ADMISSION',
        sharesTreatmentData: true,
        consent: { given: true, recordedOn: '2026-03-02', scope: { services: ['REHAB_ADMISSION'], treatmentData: true } },
      }),
    ),
  );
  const jobs = replay(
    history(createCommand({ consent: { given: true, recordedOn: '2026-03-02', scope: { services: ['JOB_PLACEMENT'], treatmentData: true } } })),
  );

  it('tells the receiver of a health-related service about treatment data', () => {
    const view = viewFor('receiver', 'r1', 0, rehab, 'why', '2026-03-06');
    expect(view).toMatchObject({ reason: 'why', sharesTreatmentData: true, consent: { treatmentData: true } });
    expect(view).not.toHaveProperty('chain');
    // Of the consent, what concerns its service: never the list of every service it covers.
    expect(view.consent).toEqual({ given: true, recordedOn: '2026-03-02', coversService: true, treatmentData: true, withdrawn: false, withdrawnOn: null });
    // A state body: the case id.
    expect(view.caseId).toBe('case-1');
  });

  it('never tells the receiver of another service about treatment data', () => {
    const view = viewFor('receiver', 'r1', 0, jobs, 'why', '2026-03-06');
    expect(view).not.toHaveProperty('sharesTreatmentData');
    expect(view.consent).not.toHaveProperty('treatmentData');
    expect(viewFor('sender', 'r1', 0, jobs, 'why', '2026-03-06')).toMatchObject({
      sharesTreatmentData: false,
      consent: { treatmentData: true },
      chain: [expect.any(String)],
    });
  });

  it('shows an earlier receiver where it went and how it stands, not why', () => {
    const view = viewFor('earlier-receiver', 'r1', 0, jobs, undefined, '2026-03-06');
    for (const field of ['reason', 'consent', 'legalBasis', 'sharesTreatmentData', 'chain', 'caseId']) expect(view).not.toHaveProperty(field);
    expect(view).toMatchObject({ status: 'SENT', serviceType: 'JOB_PLACEMENT' });
  });

  it('shows a referral still waiting after its due date as overdue', () => {
    expect(jobs.dueOn).not.toBeNull();
    expect(viewFor('sender', 'r1', 0, jobs, 'why', jobs.dueOn as string).overdue).toBe(false);
    expect(viewFor('sender', 'r1', 0, jobs, 'why', '2026-12-31').overdue).toBe(true);
  });

  it('marks a due date counted over a year without an official holiday decision as provisional (issue 11)', () => {
    expect(viewFor('sender', 'r1', 0, jobs, 'why', '2026-03-06').dueOnProvisional).toBe(false);
    // Sent Monday 21 December 2026, 10 working days: into January 2027, not decided yet.
    const late = replay(history([createCommand(), at('2026-12-21')]));
    expect(late.dueOn).toBe('2027-01-05');
    expect(viewFor('sender', 'r1', 0, late, 'why', '2026-12-21').dueOnProvisional).toBe(true);
  });
});
