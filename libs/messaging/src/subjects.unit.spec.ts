import fc from 'fast-check';
import {
  aggregateOfStream,
  buildEventSubject,
  InvalidSubjectError,
  parseEventSubject,
  serviceSubjectFilter,
  subjectForEvent,
  subjectMatches,
} from './subjects';

describe('event subjects', () => {
  it('builds evt.<service>.<Aggregate>.<EventType> from a stream named <Aggregate>-<uuid>', () => {
    const event = { streamId: 'RehabCase-0190f5a2-7c1e-7b3a-9d4e-0123456789ab', type: 'RehabStarted' };
    expect(subjectForEvent('cases', event)).toBe('evt.cases.RehabCase.RehabStarted');
  });

  it('takes the aggregate up to the first dash, or the whole name without one', () => {
    expect(aggregateOfStream('Referral-1-2-3')).toBe('Referral');
    expect(aggregateOfStream('Plan')).toBe('Plan');
  });

  it('uses a configurable, possibly multi-token prefix', () => {
    const subject = buildEventSubject({ service: 'referrals', aggregate: 'Referral', eventType: 'ReferralAccepted' }, { prefix: 't1a2b.evt' });
    expect(subject).toBe('t1a2b.evt.referrals.Referral.ReferralAccepted');
    expect(parseEventSubject(subject, { prefix: 't1a2b.evt' })).toEqual({ service: 'referrals', aggregate: 'Referral', eventType: 'ReferralAccepted' });
  });

  it.each([
    ['a dot', { service: 'ca.ses', aggregate: 'RehabCase', eventType: 'RehabStarted' }],
    ['a * wildcard', { service: 'cases', aggregate: '*', eventType: 'RehabStarted' }],
    ['a > wildcard', { service: 'cases', aggregate: 'RehabCase', eventType: '>' }],
    ['a space', { service: 'cases', aggregate: 'Rehab Case', eventType: 'RehabStarted' }],
    ['a tab', { service: 'cases', aggregate: 'RehabCase', eventType: 'Rehab\tStarted' }],
    ['a control character', { service: 'cases', aggregate: 'Rehab\u0001Case', eventType: 'RehabStarted' }],
    ['an empty token', { service: '', aggregate: 'RehabCase', eventType: 'RehabStarted' }],
  ])('refuses a token with %s', (_what, parts) => {
    expect(() => buildEventSubject(parts)).toThrow(InvalidSubjectError);
  });

  it('refuses a bad prefix', () => {
    expect(() => buildEventSubject({ service: 'cases', aggregate: 'A', eventType: 'B' }, { prefix: 'evt.' })).toThrow(InvalidSubjectError);
    expect(() => buildEventSubject({ service: 'cases', aggregate: 'A', eventType: 'B' }, { prefix: 'ev t' })).toThrow(InvalidSubjectError);
  });

  it('refuses to parse subjects of another shape or prefix', () => {
    expect(() => parseEventSubject('evt.cases.RehabCase')).toThrow(InvalidSubjectError);
    expect(() => parseEventSubject('evt.cases.RehabCase.Rehab.Started')).toThrow(InvalidSubjectError);
    expect(() => parseEventSubject('cmd.cases.RehabCase.RehabStarted')).toThrow(InvalidSubjectError);
    expect(() => parseEventSubject('evt.cases.*.RehabStarted')).toThrow(InvalidSubjectError);
  });

  it('parses what it builds (property)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(token, token, token, (service, aggregate, eventType) => {
        const parts = { service, aggregate, eventType };
        expect(parseEventSubject(buildEventSubject(parts))).toEqual(parts);
      }),
    );
  });

  it('filters a service with <prefix>.<service>.>', () => {
    expect(serviceSubjectFilter('cases')).toBe('evt.cases.>');
    expect(serviceSubjectFilter('cases', { prefix: 'tx.evt' })).toBe('tx.evt.cases.>');
  });

  it('matches subjects as NATS does', () => {
    expect(subjectMatches('evt.cases.>', 'evt.cases.RehabCase.RehabStarted')).toBe(true);
    expect(subjectMatches('evt.cases.>', 'evt.cases')).toBe(false);
    expect(subjectMatches('evt.*.RehabCase.*', 'evt.cases.RehabCase.RehabStarted')).toBe(true);
    expect(subjectMatches('evt.*.RehabCase.*', 'evt.cases.Person.PersonRegistered')).toBe(false);
    expect(subjectMatches('evt.*.RehabCase', 'evt.cases.RehabCase.X')).toBe(false);
    expect(subjectMatches('evt.cases.RehabCase.RehabStarted', 'evt.cases.RehabCase.RehabStarted')).toBe(true);
    expect(subjectMatches('>', 'anything.at.all')).toBe(true);
  });
});
