import {
  upcastReceivedPersonNeedsSupport,
  validateCrossBorderIntegrationEvent,
  validateReceivedPersonNeedsSupportV1,
  validateReceivedPersonNeedsSupportV2,
} from './cross-border-events';
import { validatePersonsRegisterRequestV1, validatePersonsRegisterResponseV1 } from './cases-persons-register';

/** The two contracts a received trafficking victim travels by: `cases.persons.register` v1 and `cross-border.ReceivedPersonNeedsSupport.v1`. */
describe('cases.persons.register v1', () => {
  const request = {
    idempotencyKey: 'cross-border:handed-over-person:7a1d2c3e-0000-4000-8000-000000000001',
    fullName: 'Lục Thị Hoa',
    dateOfBirth: '2001-03-14',
    sex: 'FEMALE',
    residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn Nà Phai' },
  };

  it('accepts a request and a reply of the contract', () => {
    expect(validatePersonsRegisterRequestV1(request).ok).toBe(true);
    expect(validatePersonsRegisterResponseV1({ personId: '7a1d2c3e-0000-4000-8000-0000000000cc', version: 0 }).ok).toBe(true);
  });

  it('names each bad field, nested ones with their path, never a value', () => {
    const checked = validatePersonsRegisterRequestV1({
      ...request,
      idempotencyKey: 'short',
      dateOfBirth: '2001-02-30',
      sex: 'X',
      residence: { provinceCode: '20', communeCode: '5977', address: '' },
      personalId: '020301001234',
    });
    expect(checked.ok).toBe(false);
    const errors = checked.ok ? [] : checked.errors;
    for (const field of ['idempotencyKey', 'dateOfBirth', 'sex', 'residence', 'personalId']) expect(errors.some((e) => e.startsWith(`${field}:`))).toBe(true);
    expect(errors.join(' ')).toContain('communeCode');
    expect(errors.join(' ')).not.toContain('020301001234');
  });

  it('refuses a reply that carries more than ids', () => {
    expect(validatePersonsRegisterResponseV1({ personId: '7a1d2c3e-0000-4000-8000-0000000000cc', version: 0, fullName: 'Lục Thị Hoa' }).ok).toBe(false);
  });
});

describe('cross-border.ReceivedPersonNeedsSupport.v1', () => {
  const event = {
    type: 'cross-border.ReceivedPersonNeedsSupport.v1',
    version: 1,
    eventId: '7a1d2c3e-0000-4000-8000-0000000000e1',
    handedOverPersonId: '7a1d2c3e-0000-4000-8000-000000000001',
    recordId: '7a1d2c3e-0000-4000-8000-0000000000aa',
    personId: '7a1d2c3e-0000-4000-8000-0000000000cc',
    category: 'TRAFFICKING_VICTIM',
    provinceCode: '20',
    receivedOn: '2026-11-30',
    receivedByAgency: '20-BORDER_GUARD',
    supportAgency: '20-HEALTH',
    occurredAt: '2026-12-01T02:00:00.000Z',
  };

  it('accepts the contract through its own validator and by type', () => {
    expect(validateReceivedPersonNeedsSupportV1(event).ok).toBe(true);
    expect(validateCrossBorderIntegrationEvent(event).ok).toBe(true);
  });

  it('refuses a category that asks no support, a bad agency and a name', () => {
    expect(validateReceivedPersonNeedsSupportV1({ ...event, category: 'WANTED_PERSON' }).ok).toBe(false);
    expect(validateReceivedPersonNeedsSupportV1({ ...event, supportAgency: 'Sở Y tế' }).ok).toBe(false);
    const named = validateReceivedPersonNeedsSupportV1({ ...event, fullName: 'Lục Thị Hoa' });
    expect(named.ok ? [] : named.errors).toEqual(['fullName: is not part of the contract']);
  });
});

describe('cross-border.ReceivedPersonNeedsSupport.v2', () => {
  const event = {
    type: 'cross-border.ReceivedPersonNeedsSupport.v2',
    version: 2,
    eventId: '7a1d2c3e-0000-4000-8000-0000000000e2',
    handedOverPersonId: '7a1d2c3e-0000-4000-8000-000000000001',
    recordId: '7a1d2c3e-0000-4000-8000-0000000000aa',
    personId: '7a1d2c3e-0000-4000-8000-0000000000cc',
    category: 'TRAFFICKING_VICTIM',
    provinceCode: '20',
    receivedOn: '2026-11-30',
    receivedByAgency: '20-BORDER_GUARD',
    needs: [
      { need: 'SHELTER', agency: '20-COMMUNE-05977' },
      { need: 'HEALTH', agency: '20-HEALTH' },
    ],
    occurredAt: '2026-12-01T02:00:00.000Z',
  };
  const errorsOf = (value: unknown) => {
    const checked = validateReceivedPersonNeedsSupportV2(value);
    return checked.ok ? [] : checked.errors;
  };

  it('accepts the contract through its own validator and by type', () => {
    expect(validateReceivedPersonNeedsSupportV2(event).ok).toBe(true);
    expect(validateCrossBorderIntegrationEvent(event).ok).toBe(true);
  });

  it.each([
    ['no need', { needs: [] }, 'needs: must be a list of 1 to 4 needs'],
    ['a need twice', { needs: [event.needs[0], event.needs[0]] }, 'needs: [1].need: is listed twice'],
    ['an unknown need', { needs: [{ need: 'MONEY', agency: '20-HEALTH' }] }, 'needs: [0].need: must be one of the listed needs'],
    [
      'a name for an agency',
      { needs: [{ need: 'SHELTER', agency: 'UBND phường Đông Kinh' }] },
      'needs: [0].agency: must be an agency code <province>-<TYPE>[-<n>]',
    ],
    ['more than a need and an agency', { needs: [{ need: 'SHELTER', agency: '20-HEALTH', note: 'Lục Thị Hoa' }] }, 'needs: [0]: must be { need, agency }'],
    ['the v1 supportAgency', { supportAgency: '20-HEALTH' }, 'supportAgency: is not part of the contract'],
  ])('refuses %s', (_what, over, error) => {
    expect(errorsOf({ ...event, ...over })).toEqual([error]);
  });

  it('reads a v1 event as v2: its supportAgency is the one need VICTIM_SUPPORT', () => {
    const v1 = {
      type: 'cross-border.ReceivedPersonNeedsSupport.v1',
      version: 1,
      eventId: '7a1d2c3e-0000-4000-8000-0000000000e1',
      handedOverPersonId: event.handedOverPersonId,
      recordId: event.recordId,
      personId: event.personId,
      category: 'RETURNED_CITIZEN',
      provinceCode: '20',
      receivedOn: '2026-11-30',
      receivedByAgency: '20-BORDER_GUARD',
      supportAgency: '20-COMMUNE-05977',
      occurredAt: '2026-12-01T02:00:00.000Z',
    };
    const upcast = upcastReceivedPersonNeedsSupport(v1);
    expect(upcast).toEqual({
      ok: true,
      value: {
        ...Object.fromEntries(Object.entries(v1).filter(([k]) => k !== 'supportAgency')),
        type: 'cross-border.ReceivedPersonNeedsSupport.v2',
        version: 2,
        needs: [{ need: 'VICTIM_SUPPORT', agency: '20-COMMUNE-05977' }],
      },
    });
    expect(upcast.ok && validateReceivedPersonNeedsSupportV2(upcast.value).ok).toBe(true);
    expect(upcastReceivedPersonNeedsSupport(event)).toEqual({ ok: true, value: event });
    expect(upcastReceivedPersonNeedsSupport({ ...v1, supportAgency: 'Sở Y tế' }).ok).toBe(false);
    expect(upcastReceivedPersonNeedsSupport({ ...event, type: 'cross-border.RecordSealed.v1' }).ok).toBe(false);
  });
});
