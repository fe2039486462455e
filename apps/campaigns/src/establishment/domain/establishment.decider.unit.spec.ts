import { fold, isDomainError } from '@haidang/decider';
import { decide, establishmentDecider, type EstablishmentCommand, type EstablishmentDecision, type RegisterEstablishment } from './establishment.decider';
import { ESTABLISHMENT_ERROR_MESSAGES, type EstablishmentErrorCode } from './establishment.errors';
import type { EstablishmentEvent } from './establishment.events';

const NOW = new Date('2022-12-20T03:00:00Z');
const school: RegisterEstablishment['data'] = {
  establishmentId: 'e-1',
  kind: 'SCHOOL',
  schoolLevel: 'UPPER_SECONDARY',
  name: 'Trường THPT Cẩm Phả',
  communeCode: '06793',
  provinceCode: '22',
  openedOn: '1980-09-05',
};
const register = (over: Partial<RegisterEstablishment['data']> = {}): EstablishmentCommand => ({ type: 'RegisterEstablishment', data: { ...school, ...over } });
const registered: EstablishmentEvent = { type: 'EstablishmentRegistered', data: school };
const close = (closedOn = '2022-06-30'): EstablishmentCommand => ({ type: 'CloseEstablishment', data: { closedOn } });
const closed: EstablishmentEvent = { type: 'EstablishmentClosed', data: { closedOn: '2022-06-30' } };
const given = (...events: EstablishmentEvent[]) => ({
  when: (c: EstablishmentCommand): EstablishmentDecision => decide(c, fold(establishmentDecider, events), NOW),
});
const errorCode = (d: EstablishmentDecision): string => (isDomainError(d) ? d.code : 'no error');

describe('establishment decider', () => {
  it('registers a school with its level and a zone without one, and closes them', () => {
    expect(given().when(register())).toEqual([registered]);
    expect(errorCode(given().when(register({ kind: 'INDUSTRIAL_ZONE', schoolLevel: null, name: 'KCN Cái Lân' })))).toBe('no error');
    expect(given(registered).when(close())).toEqual([closed]);
  });

  const refusals: ReadonlyArray<readonly [EstablishmentErrorCode, readonly EstablishmentEvent[], EstablishmentCommand]> = [
    ['already-registered', [registered], register()],
    ['not-registered', [], close()],
    ['already-closed', [registered, closed], close('2022-07-01')],
    ['missing-reference', [], register({ name: '' })],
    ['invalid-date', [], register({ openedOn: '1980-02-30' })],
    ['date-in-future', [registered], close('2022-12-21')],
    ['school-level', [], register({ kind: 'ECONOMIC_ZONE' })],
    ['closed-before-opened', [registered], close('1979-01-01')],
  ];
  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });
  it('has a refusal above for every error code', () => {
    expect(refusals.map(([c]) => c).sort()).toEqual(Object.keys(ESTABLISHMENT_ERROR_MESSAGES).sort());
  });
});
