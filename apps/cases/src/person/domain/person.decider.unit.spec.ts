import { decidePerson as decide, evolvePerson, initialPersonState, type PersonEvent, type PersonRegisteredV1, type PersonState } from './person.decider';

const now = new Date('2026-03-02T03:00:00Z');
const decidePerson = (command: Parameters<typeof decide>[0], state: PersonState) => decide(command, state, now);
const registered: PersonRegisteredV1 = {
  personId: 'p1',
  fullName: 'pii:v1:x',
  dateOfBirth: 'pii:v1:y',
  sex: 'MALE',
  address: 'pii:v1:z',
  residence: { provinceCode: '22', communeCode: '06793' },
  nameIndex: 'h',
};
const given = (events: readonly PersonEvent[]): PersonState => events.reduce(evolvePerson, initialPersonState());

describe('Person decider', () => {
  it('registers a new person once', () => {
    expect(decidePerson({ type: 'RegisterPerson', data: registered }, initialPersonState())).toEqual([{ type: 'PersonRegistered', data: registered }]);
    expect(decidePerson({ type: 'RegisterPerson', data: registered }, given([{ type: 'PersonRegistered', data: registered }]))).toMatchObject({
      kind: 'DomainError',
      code: 'already-registered',
    });
  });

  it('marks a person as the same as another once; the same link again changes nothing, another is refused', () => {
    const link = { personId: 'p1', duplicateOf: 'p0', reviewId: 'r1' };
    const state = given([{ type: 'PersonRegistered', data: registered }]);
    expect(decidePerson({ type: 'MarkDuplicateOf', data: link }, state)).toEqual([{ type: 'PersonMarkedDuplicateOf', data: link }]);
    const linked = given([
      { type: 'PersonRegistered', data: registered },
      { type: 'PersonMarkedDuplicateOf', data: link },
    ]);
    expect(linked).toEqual({ status: 'registered', registered, duplicateOf: 'p0' });
    expect(decidePerson({ type: 'MarkDuplicateOf', data: { ...link, reviewId: 'r2' } }, linked)).toEqual([]);
    expect(decidePerson({ type: 'MarkDuplicateOf', data: { ...link, duplicateOf: 'p9' } }, linked)).toMatchObject({ code: 'already-duplicate-of-another' });
    expect(decidePerson({ type: 'MarkDuplicateOf', data: { ...link, duplicateOf: 'p1' } }, state)).toMatchObject({ code: 'not-a-duplicate-of-itself' });
  });

  it('records an erasure of a registered person, once', () => {
    const erased = { personId: 'p1', reason: 'DP-1' };
    // Absent: the pipeline answers not-found before it asks the decider, which yields nothing.
    expect(decidePerson({ type: 'RecordErasure', data: erased }, initialPersonState())).toEqual([]);
    const events = decidePerson({ type: 'RecordErasure', data: erased }, given([{ type: 'PersonRegistered', data: registered }]));
    expect(events).toEqual([{ type: 'PersonErased', data: erased }]);
    expect(
      decidePerson(
        { type: 'RecordErasure', data: erased },
        given([
          { type: 'PersonRegistered', data: registered },
          { type: 'PersonErased', data: erased },
        ]),
      ),
    ).toMatchObject({ kind: 'DomainError', code: 'already-erased' });
  });
});
