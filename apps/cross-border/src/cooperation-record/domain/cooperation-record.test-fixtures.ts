import type { CooperationRecordCommand, NamedPerson, RegisterCooperationRecord } from './cooperation-record.commands';
import type { CooperationRecordEvent, RecordDetails } from './cooperation-record.events';

/** 10:00 in Vietnam on 2026-09-01. */
export const NOW = new Date('2026-09-01T03:00:00Z');

export const handoverDetails: RecordDetails = {
  kind: 'HANDOVER',
  direction: 'RECEIVED_FROM_CHINA',
  category: 'TRAFFICKING_VICTIM',
  count: 2,
  minutesNumber: '07/BB-BGCD',
  minutesSignedOn: '2020-06-12',
};

export type RegistrationData = RegisterCooperationRecord['data'];

export const registration = (over: Partial<RegistrationData> = {}): RegistrationData => ({
  recordId: 'record-1',
  kind: 'HANDOVER',
  provinceCode: '20',
  occurredOn: '2020-06-12',
  crossingCode: 'LS-HUU-NGHI',
  counterpartCodes: ['GX-YYG-EI'],
  vi: { title: 'Biên bản tiếp nhận', body: 'Phía Trung Quốc bàn giao 02 nạn nhân.' },
  zh: null,
  translator: null,
  details: handoverDetails,
  corrects: null,
  persons: [namedPerson()],
  unknownCodes: [],
  crossingProvinceCode: '20',
  ...over,
});

/** A person named in a handover, with no support asked (support: see the support fixtures). */
export function namedPerson(over: Partial<NamedPerson> = {}): NamedPerson {
  return { personId: '7a1d2c3e-0000-4000-8000-000000000001', fullName: 'Lục Thị Hoa', birthYear: 2001, supportAgency: null, needs: [], support: null, ...over };
}

/** What cases registers a victim with, and the agency asked for support. */
export const victimSupport = {
  supportAgency: '20-HEALTH',
  support: { sex: 'FEMALE' as const, dateOfBirth: '2001-03-14', residence: { provinceCode: '20', communeCode: '05977' }, address: 'Thôn Nà Phai' },
};

export const register = (over: Partial<RegistrationData> = {}): CooperationRecordCommand => ({ type: 'RegisterCooperationRecord', data: registration(over) });

export const registered = (over: Partial<RegistrationData> = {}): CooperationRecordEvent => {
  const { unknownCodes: _u, crossingProvinceCode: _c, corrects, persons, ...data } = registration(over);
  return { type: 'CooperationRecordRegistered', data: { ...data, corrects: corrects?.recordId ?? null, personIds: persons?.map((p) => p.personId) ?? null } };
};

export const translation = { zh: { title: '接收纪要', body: '中方向越方移交受害人2名。' }, agreedPointsZh: [], translator: 'Hoàng Thị Mai' };
export const translate = (): CooperationRecordCommand => ({ type: 'AddTranslation', data: translation });
export const translated: CooperationRecordEvent = { type: 'TranslationAdded', data: translation };

export const sealData = {
  sealedOn: '2020-06-12',
  contentHash: 'a'.repeat(64),
  hashAlgorithm: 'SHA-256' as const,
  signature: 'c2ln',
  signatureAlgorithm: 'Ed25519' as const,
  publicKey: 'PEM',
  sealedByAgency: '20-BORDER_GUARD',
};
export const seal = (sealedOn = '2020-06-12'): CooperationRecordCommand => ({ type: 'SealRecord', data: { ...sealData, sealedOn } });
export const sealed: CooperationRecordEvent = { type: 'RecordSealed', data: sealData };
