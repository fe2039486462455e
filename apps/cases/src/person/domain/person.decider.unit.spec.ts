import { decidePerson, evolvePerson, initialPersonState, type PersonEvent, type PersonRegisteredV1, type PersonState } from './person.decider';

const registered: PersonRegisteredV1 = {
  personId: 'p1',
  fullName: 'pii:v1:x',
  dateOfBirth: 'pii:v1:y',
  sex: 'MALE',
  address: 'pii:v1:z',
  residence: { provinceCode: '22', communeCode: '06793' },
  nameIndex: 'h',
};
const given = (events: readonly PersonEvent[]): PersonState => events.reduce(evolvePerson, initialPersonState);

describe('Person decider', () => {
  it('registers a new person once', () => {
    expect(decidePerson({ type: 'RegisterPerson', data: registered }, initialPersonState)).toEqual([{ type: 'PersonRegistered', data: registered }]);
    expect(decidePerson({ type: 'RegisterPerson', data: registered }, given([{ type: 'PersonRegistered', data: registered }]))).toBe('person-already-registered');
  });

  it('records an erasure of a registered person, once', () => {
    const erased = { personId: 'p1', reason: 'DP-1' };
    expect(decidePerson({ type: 'RecordErasure', data: erased }, initialPersonState)).toBe('person-not-found');
    const events = decidePerson({ type: 'RecordErasure', data: erased }, given([{ type: 'PersonRegistered', data: registered }]));
    expect(events).toEqual([{ type: 'PersonErased', data: erased }]);
    expect(decidePerson({ type: 'RecordErasure', data: erased }, given([{ type: 'PersonRegistered', data: registered }, { type: 'PersonErased', data: erased }]))).toBe('person-already-erased');
  });
});
