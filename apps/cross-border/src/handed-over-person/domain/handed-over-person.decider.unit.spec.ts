import { fold, isDomainError } from '@haidang/decider';
import { decideHandedOverPerson, handedOverPersonDecider, type RecordHandedOverPerson } from './handed-over-person.decider';
import { needsOf, type HandedOverPersonEvent, type HandedOverPersonRecorded } from './handed-over-person.events';

const NOW = new Date('2026-09-01T03:00:00Z');
const victim = (over: Partial<HandedOverPersonRecorded['data']> = {}): RecordHandedOverPerson => ({
  type: 'RecordHandedOverPerson',
  data: {
    personId: '7a1d2c3e-0000-4000-8000-000000000001',
    recordId: '7a1d2c3e-0000-4000-8000-0000000000aa',
    provinceCode: '20',
    direction: 'RECEIVED_FROM_CHINA',
    category: 'TRAFFICKING_VICTIM',
    occurredOn: '2026-08-30',
    recordedByAgency: '20-BORDER_GUARD',
    fullName: 'Lục Thị Hoa',
    birthYear: 2001,
    supportAgency: '20-HEALTH',
    support: { sex: 'FEMALE', dateOfBirth: '2001-03-14', residence: { provinceCode: '20', communeCode: '05977' }, address: 'Thôn Nà Phai' },
    casesPersonId: '7a1d2c3e-0000-4000-8000-0000000000cc',
    ...over,
  },
});
const given = (...events: HandedOverPersonEvent[]) => fold(handedOverPersonDecider, events);
const codeOf = (decided: unknown) => (isDomainError(decided) ? decided.code : 'accepted');

describe('handed-over person decider', () => {
  it('records a victim received with the support asked and their person in cases, once', () => {
    const decided = decideHandedOverPerson(victim(), given(), NOW);
    expect(decided).toEqual([{ type: 'HandedOverPersonRecorded', data: victim().data }]);
    expect(codeOf(decideHandedOverPerson(victim(), given(...(decided as HandedOverPersonEvent[])), NOW))).toBe('already-recorded');
  });

  it('records a victim asked support need by need (each of its agency), and needs absent in persons recorded before them as none', () => {
    const needs = [
      { need: 'SHELTER' as const, agency: '20-COMMUNE-05977' },
      { need: 'LEGAL_AID' as const, agency: '20-HEALTH' },
    ];
    const byNeed = victim({ supportAgency: null, needs });
    expect(decideHandedOverPerson(byNeed, given(), NOW)).toEqual([{ type: 'HandedOverPersonRecorded', data: byNeed.data }]);
    expect(needsOf(byNeed.data)).toEqual(needs);
    expect(needsOf(victim().data)).toEqual([]);
  });

  it('records a wanted person handed to China without support', () => {
    const wanted = victim({ direction: 'HANDED_TO_CHINA', category: 'WANTED_PERSON', supportAgency: null, support: null, casesPersonId: null });
    expect(codeOf(decideHandedOverPerson(wanted, given(), NOW))).toBe('accepted');
  });

  it('records an erasure once, after the key was shredded', () => {
    const recorded = decideHandedOverPerson(victim(), given(), NOW) as HandedOverPersonEvent[];
    const erase = { type: 'RecordErasure' as const, data: { reference: 'DP-2026-011' } };
    const erased = decideHandedOverPerson(erase, given(...recorded), NOW);
    expect(erased).toEqual([{ type: 'HandedOverPersonErased', data: { reference: 'DP-2026-011' } }]);
    expect(codeOf(decideHandedOverPerson(erase, given(...recorded, ...(erased as HandedOverPersonEvent[])), NOW))).toBe('already-erased');
  });

  it.each([
    ['support for a wanted person', victim({ category: 'WANTED_PERSON' }), 'support-not-applicable'],
    ['support for a victim handed to China', victim({ direction: 'HANDED_TO_CHINA' }), 'support-not-applicable'],
    ['support without the agency asked', victim({ supportAgency: null }), 'support-incomplete'],
    ['support without the person in cases', victim({ casesPersonId: null }), 'support-incomplete'],
    ['a person in cases without support', victim({ supportAgency: null, support: null }), 'support-incomplete'],
    ['support with neither an agency nor a need', victim({ supportAgency: null, needs: [] }), 'support-incomplete'],
    [
      'needs without what cases needs',
      victim({ supportAgency: null, support: null, casesPersonId: null, needs: [{ need: 'SHELTER', agency: '20-HEALTH' }] }),
      'support-incomplete',
    ],
    [
      'a need asked twice',
      victim({
        needs: [
          { need: 'SHELTER', agency: '20-HEALTH' },
          { need: 'SHELTER', agency: '20-COMMUNE-05977' },
        ],
      }),
      'need-listed-twice',
    ],
  ])('refuses %s', (_what, command, code) => {
    expect(codeOf(decideHandedOverPerson(command, given(), NOW))).toBe(code);
  });
});
