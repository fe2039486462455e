import { addDays } from './local-date';
import { replay } from './rehab-case.decider';
import type { RecordFacilityAdmission } from './rehab-case.commands';
import type { RehabCaseEvent } from './rehab-case.events';
import { addicted, compulsoryDecided, errorCode, given, LAW_120_FIXTURE as f, registered, started } from './rehab-case.test-fixtures';

const admission = (referralId: string, acceptedOn: string): RecordFacilityAdmission => ({
  type: 'RecordFacilityAdmission',
  data: { referralId, facilityAgency: '22-REHAB_FACILITY-1', acceptedOn },
});

describe('facility admission from an accepted rehab-admission referral', () => {
  const decided: RehabCaseEvent[] = [registered(f), addicted(f), compulsoryDecided(f, 12)];
  const on = addDays(f.decisionDate, 1);

  it('is recorded before rehab starts, keeping the status', () => {
    for (const history of [[registered(f)], [registered(f), addicted(f)], decided]) {
      const result = given(...history).when(admission('ref-1', on));
      expect(result).toEqual([{ type: 'FacilityAdmissionRecorded', data: { referralId: 'ref-1', facilityAgency: '22-REHAB_FACILITY-1', acceptedOn: on } }]);
    }
  });

  it('is recorded once per referral: a redelivery yields nothing, also after the case moved on', () => {
    const recorded: RehabCaseEvent = {
      type: 'FacilityAdmissionRecorded',
      data: { referralId: 'ref-1', facilityAgency: '22-REHAB_FACILITY-1', acceptedOn: on },
    };
    expect(given(...decided, recorded).when(admission('ref-1', on))).toEqual([]);
    expect(given(...decided, recorded, started(f, null)).when(admission('ref-1', on))).toEqual([]);
    // Another referral is another admission.
    expect(errorCode(given(...decided, recorded).when(admission('ref-2', on)))).toBe('no error');
  });

  it('is recorded late too, after rehab started there (a message delayed by an outage), but not once the course has ended', () => {
    expect(errorCode(given(...decided, started(f, null)).when(admission('ref-1', on)))).toBe('no error');
    const completed: RehabCaseEvent = { type: 'RehabCompleted', data: { completedOn: addDays(f.startedOn, 400) } };
    expect(errorCode(given(...decided, started(f, null), completed).when(admission('ref-1', on)))).toBe('admission-after-end');
  });

  it('is refused for a date in the future or an impossible date', () => {
    expect(errorCode(given(...decided).when(admission('ref-1', '2099-01-01')))).toBe('date-in-future');
    expect(errorCode(given(...decided).when(admission('ref-1', '2026-02-30')))).toBe('invalid-date');
  });

  it('moves none of the case’s dates: a decision dated before the acceptance may still be entered', () => {
    const admittedLater: RehabCaseEvent = {
      type: 'FacilityAdmissionRecorded',
      data: { referralId: 'r', facilityAgency: '22-REHAB_FACILITY-1', acceptedOn: addDays(f.decisionDate, 30) },
    };
    const registeredOnly = [registered(f)];
    expect(replay([...registeredOnly, admittedLater]).lastEventOn).toBe(replay(registeredOnly).lastEventOn);
    expect(replay([...registeredOnly, admittedLater]).admissions).toHaveLength(1);
    // The determination, dated before the acceptance, is still accepted.
    expect(
      errorCode(
        given(...registeredOnly, admittedLater).when({
          type: 'DetermineAddiction',
          data: { determinedOn: f.determinedOn, facilityId: 'f', result: 'ADDICTED' },
        }),
      ),
    ).toBe('no error');
  });
});
