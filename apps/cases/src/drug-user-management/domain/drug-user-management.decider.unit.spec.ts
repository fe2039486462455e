import {
  decideDrugUserManagement,
  type DrugUserManagementCommand,
  type DrugUserManagementEvent,
  evolveDrugUserManagement,
  initialDrugUserManagementState,
} from './drug-user-management.decider';

const LATER = new Date('2031-01-01T00:00:00Z');
const given = (...events: DrugUserManagementEvent[]) => ({
  when: (command: DrugUserManagementCommand) =>
    decideDrugUserManagement(command, events.reduce(evolveDrugUserManagement, initialDrugUserManagementState()), LATER),
});
const code = (result: ReturnType<typeof decideDrugUserManagement>) => (Array.isArray(result) ? 'no error' : result.code);

const decide = (
  decisionDate: string,
  overrides: Partial<Extract<DrugUserManagementCommand, { type: 'DecideDrugUserManagement' }>['data']> = {},
): DrugUserManagementCommand => ({
  type: 'DecideDrugUserManagement',
  data: {
    managementId: 'm-1',
    personId: 'p-1',
    rehabCaseId: 'c-1',
    legalBasis: { decisionNo: '45/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
    positiveTestOn: decisionDate,
    startsOn: decisionDate,
    ageGroup: 'ADULT',
    ...overrides,
  },
});

describe.each([
  ['Law 73/2021/QH14', '2026-06-30', 'LAW_73_2021_QH14'],
  ['Law 120/2025/QH15', '2026-07-01', 'LAW_120_2025_QH15'],
])('management of an illegal drug user under %s (decision %s)', (_label, decisionDate, regime) => {
  const decided = given().when(decide(decisionDate));
  const decidedEvent = (Array.isArray(decided) ? decided[0] : undefined) as DrugUserManagementEvent;

  it('is decided by the commune chair for one year from its start, under the law of the decision date', () => {
    expect(decidedEvent).toEqual(expect.objectContaining({ type: 'DrugUserManagementDecided', data: expect.objectContaining({ regime, termMonths: 12 }) }));
    const endsOn = decidedEvent.type === 'DrugUserManagementDecided' ? decidedEvent.data.endsOn : '';
    expect(endsOn).toBe(`${Number(decisionDate.slice(0, 4)) + 1}${decisionDate.slice(4)}`);
  });

  it('is refused from another body, for a child under 12, before the positive test, or starting before the decision', () => {
    expect(code(given().when(decide(decisionDate, { legalBasis: { decisionNo: '1/QĐ-TA', decisionDate, issuedBy: 'COURT' } })))).toBe('wrong-issuing-body');
    expect(code(given().when(decide(decisionDate, { ageGroup: 'CHILD' })))).toBe('under-minimum-age');
    expect(code(given().when(decide(decisionDate, { ageGroup: 'MINOR' })))).toBe('no error');
    expect(code(given().when(decide('2026-06-20', { positiveTestOn: '2026-06-25' })))).toBe('test-before-decision');
    expect(code(given().when(decide(decisionDate, { startsOn: '2026-06-01' })))).toBe('start-before-decision');
    expect(code(given(decidedEvent).when(decide(decisionDate)))).toBe('already-decided');
  });

  it('a positive test restarts the term; a negative one does not', () => {
    const positive = given(decidedEvent).when({ type: 'RecordDrugTest', data: { testedOn: '2026-09-15', positive: true } });
    expect(positive).toEqual([{ type: 'DrugTestRecorded', data: { testedOn: '2026-09-15', positive: true, endsOn: '2027-09-15' } }]);
    const negative = given(decidedEvent).when({ type: 'RecordDrugTest', data: { testedOn: '2026-09-15', positive: false } });
    expect(Array.isArray(negative) && negative[0]?.type === 'DrugTestRecorded' ? negative[0].data.endsOn : '').toBe(
      decidedEvent.type === 'DrugUserManagementDecided' ? decidedEvent.data.endsOn : 'x',
    );
  });

  it('ends at the end of its term, not before; ends early only on a ground the law gives', () => {
    const endsOn = decidedEvent.type === 'DrugUserManagementDecided' ? decidedEvent.data.endsOn : '';
    expect(code(given(decidedEvent).when({ type: 'EndDrugUserManagement', data: { endedOn: '2027-06-29' } }))).toBe('end-before-term');
    expect(code(given(decidedEvent).when({ type: 'EndDrugUserManagement', data: { endedOn: endsOn } }))).toBe('no error');
    const early = given(decidedEvent).when({ type: 'TerminateDrugUserManagementEarly', data: { terminatedOn: '2026-10-01', reason: 'DETERMINED_ADDICTED' } });
    expect(code(early)).toBe('no error');
    expect(code(given(decidedEvent).when({ type: 'TerminateDrugUserManagementEarly', data: { terminatedOn: '2026-10-01', reason: 'MOVED' as never } }))).toBe(
      'reason-not-allowed',
    );
    const ended = (early as DrugUserManagementEvent[])[0] as DrugUserManagementEvent;
    expect(code(given(decidedEvent, ended).when({ type: 'RecordDrugTest', data: { testedOn: '2026-11-01', positive: true } }))).toBe('not-in-progress');
  });
});

it('a decision before 2022 falls under no law of the table', () => {
  expect(code(given().when(decide('2021-12-31')))).toBe('no-legal-regime');
});
