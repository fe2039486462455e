import { InvalidSubjectError } from '../subjects';
import {
  integrationEventType,
  integrationPrefixFor,
  integrationSubject,
  integrationSubjectFilter,
  integrationSubjectsFor,
  parseIntegrationEventType,
} from './integration-subjects';

describe('integration subjects', () => {
  it('names int.<service>.<EventName>.v<N>, with a prefix of one or more tokens', () => {
    expect(integrationSubject('cases', 'RehabCompleted', 1)).toBe('int.cases.RehabCompleted.v1');
    expect(integrationSubject('cases', 'RehabCompleted', 2, { prefix: 't1a2b.int' })).toBe('t1a2b.int.cases.RehabCompleted.v2');
    expect(integrationSubjectFilter('cases')).toBe('int.cases.>');
  });

  it('refuses tokens that would shift the subject or make it a wildcard, and versions that are not positive integers', () => {
    for (const [service, name] of [
      ['ca.ses', 'X'],
      ['cases', 'Rehab*'],
      ['cases', '>'],
      ['', 'X'],
      ['cases', 'Rehab Completed'],
    ] as const) {
      expect(() => integrationSubject(service, name, 1)).toThrow(InvalidSubjectError);
    }
    for (const version of [0, -1, 1.5, Number.NaN]) expect(() => integrationSubject('cases', 'RehabCompleted', version)).toThrow(InvalidSubjectError);
    expect(() => integrationSubject('cases', 'RehabCompleted', 1, { prefix: 'int.' })).toThrow(InvalidSubjectError);
  });

  it('names and reads the contract type as libs/contracts does (cases.RehabCompleted.v1)', () => {
    expect(integrationEventType('cases', 'RehabCompleted', 1)).toBe('cases.RehabCompleted.v1');
    expect(parseIntegrationEventType('cases.RehabCompleted.v12')).toEqual({ service: 'cases', eventName: 'RehabCompleted', version: 12 });
    for (const bad of ['cases.RehabCompleted', 'cases.RehabCompleted.1', 'cases.RehabCompleted.v0', 'a.b.c.v1']) {
      expect(() => parseIntegrationEventType(bad)).toThrow(InvalidSubjectError);
    }
  });

  it('derives the integration prefix and stream subjects from the domain-event ones, tests included', () => {
    expect(integrationPrefixFor('evt')).toBe('int');
    expect(integrationPrefixFor('t1a2b.evt')).toBe('t1a2b.int');
    expect(integrationPrefixFor('events')).toBeUndefined();
    expect(integrationSubjectsFor(['evt.>'])).toEqual(['int.>']);
    expect(integrationSubjectsFor(['t1a2b.evt.>', 'dlq.>', 'evt.cases.*'])).toEqual(['t1a2b.int.>']);
  });
});
