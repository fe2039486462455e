import {
  assertValid,
  CasesIntegrationEventTypes,
  ContractViolationError,
  validateCasesIntegrationEvent,
  validatePersonsGetRequestV1,
  validatePersonsGetResponseV1,
  validateRehabCasesGetRequestV1,
  validateRehabCasesGetResponseV1,
  validateRehabCompletedV1,
  validateRehabStartedV1,
  ReferralsIntegrationEventTypes,
  validateReferralAcceptedV1,
} from './index';

const id = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const other = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describe('cases.persons.get v1', () => {
  const reply = { personId: id, communeCode: '06793', provinceCode: '22', erased: false, version: 0 };

  it('accepts a request and a reply of the contract', () => {
    expect(validatePersonsGetRequestV1({ personId: id })).toEqual({ ok: true, value: { personId: id } });
    expect(validatePersonsGetResponseV1(reply)).toEqual({ ok: true, value: reply });
  });

  it('refuses a reply that carries a personal field, naming the field and not its value', () => {
    const result = validatePersonsGetResponseV1({ ...reply, fullName: 'Nguyễn Văn An' });
    expect(result).toEqual({ ok: false, errors: ['fullName: is not part of the contract'] });
    expect(JSON.stringify(result)).not.toContain('Nguy');
  });

  it.each([
    ['a missing id', {}, 'personId: is required'],
    ['a non-UUID id', { personId: "1' OR 1=1" }, 'personId: must be a UUID'],
    ['an array', [id], '(root): must be an object'],
    ['null', null, '(root): must be an object'],
  ])('refuses a request with %s', (_label, value, error) => {
    expect(validatePersonsGetRequestV1(value)).toEqual({ ok: false, errors: [error] });
  });

  it('refuses wrong codes, a negative version and a string boolean', () => {
    const result = validatePersonsGetResponseV1({ ...reply, communeCode: '6793', provinceCode: 'QN', erased: 'no', version: -1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'communeCode: must be 5 digits',
      'provinceCode: must be 2 digits',
      'erased: must be a boolean',
      'version: must be a non-negative integer',
    ]);
  });
});

describe('cases.rehab-cases.get v1', () => {
  const reply = { caseId: id, personId: other, status: 'IN_REHAB', form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', version: 3 };

  it('accepts a reply, with or without a form', () => {
    expect(validateRehabCasesGetRequestV1({ caseId: id }).ok).toBe(true);
    expect(validateRehabCasesGetResponseV1(reply).ok).toBe(true);
    expect(validateRehabCasesGetResponseV1({ ...reply, status: 'REGISTERED', form: null }).ok).toBe(true);
  });

  it('refuses an unknown status or form, and the NONE status of a case that does not exist', () => {
    expect(validateRehabCasesGetResponseV1({ ...reply, status: 'NONE' })).toEqual({ ok: false, errors: ['status: must be one of the listed values'] });
    expect(validateRehabCasesGetResponseV1({ ...reply, form: 'PRISON' })).toEqual({ ok: false, errors: ['form: must be one of the listed values'] });
  });
});

describe('integration events', () => {
  const started = {
    type: CasesIntegrationEventTypes.RehabStartedV1,
    version: 1,
    eventId: id,
    caseId: other,
    personId: id,
    form: 'COMPULSORY_FACILITY',
    communeCode: '06793',
    recordedByAgency: '22-REHAB_FACILITY-1',
    occurredAt: '2026-03-02T08:15:00.000Z',
    startedOn: '2026-03-02',
    expectedEndOn: '2027-03-02',
  };
  const completed = { ...started, type: CasesIntegrationEventTypes.RehabCompletedV1, completedOn: '2027-03-02' } as Record<string, unknown>;
  delete completed['startedOn'];
  delete completed['expectedEndOn'];

  it('accepts both events, each through its own validator and by type', () => {
    expect(validateRehabStartedV1(started).ok).toBe(true);
    expect(validateRehabStartedV1({ ...started, expectedEndOn: null }).ok).toBe(true);
    expect(validateRehabCompletedV1(completed).ok).toBe(true);
    expect(validateCasesIntegrationEvent(completed)).toEqual({ ok: true, value: completed });
  });

  it('refuses another version, an impossible date and a personal field', () => {
    expect(validateRehabStartedV1({ ...started, version: 2 })).toEqual({ ok: false, errors: ['version: must be 1'] });
    expect(validateRehabStartedV1({ ...started, startedOn: '2026-02-30' })).toEqual({ ok: false, errors: ['startedOn: must be a date YYYY-MM-DD'] });
    expect(validateRehabCompletedV1({ ...completed, occurredAt: 'yesterday' })).toEqual({ ok: false, errors: ['occurredAt: must be an ISO-8601 instant'] });
    expect(validateRehabCompletedV1({ ...completed, dateOfBirth: '1990-05-17' })).toEqual({ ok: false, errors: ['dateOfBirth: is not part of the contract'] });
  });

  it('names an erased person by id only', () => {
    const erased = { type: CasesIntegrationEventTypes.PersonErasedV1, version: 1, eventId: id, personId: other, occurredAt: '2026-11-20T03:00:00.000Z' };
    expect(validateCasesIntegrationEvent(erased)).toEqual({ ok: true, value: erased });
    expect(validateCasesIntegrationEvent({ ...erased, reason: 'DP-2026-004' })).toEqual({ ok: false, errors: ['reason: is not part of the contract'] });
  });

  it('refuses an unknown type', () => {
    expect(validateCasesIntegrationEvent({ ...started, type: 'cases.RehabStarted.v9' })).toEqual({
      ok: false,
      errors: ['type: is not a known cases integration event'],
    });
    expect(validateCasesIntegrationEvent('cases.RehabStarted.v1').ok).toBe(false);
  });
});

describe('assertValid', () => {
  it('returns the value, or throws with field paths only', () => {
    expect(assertValid('cases.persons.get', validatePersonsGetRequestV1({ personId: id }))).toEqual({ personId: id });
    const attempt = () => assertValid('cases.persons.get', validatePersonsGetRequestV1({ personId: id, phone: '0912345678' }));
    expect(attempt).toThrow(ContractViolationError);
    expect(attempt).toThrow('cases.persons.get violated: phone: is not part of the contract');
    expect(attempt).not.toThrow(/0912345678/);
  });
});

describe('referrals integration events', () => {
  const accepted = {
    type: ReferralsIntegrationEventTypes.ReferralAcceptedV1,
    version: 1,
    eventId: id,
    referralId: other,
    personId: id,
    caseId: other,
    serviceType: 'REHAB_ADMISSION',
    fromAgency: '22-COMMUNE-06793',
    toAgency: '22-REHAB_FACILITY-1',
    acceptedOn: '2026-11-20',
    occurredAt: '2026-11-20T03:00:00.000Z',
  };

  it('accepts the contract, with or without a case', () => {
    expect(validateReferralAcceptedV1(accepted)).toEqual({ ok: true, value: accepted });
    expect(validateReferralAcceptedV1({ ...accepted, caseId: null }).ok).toBe(true);
  });

  it('refuses a bad agency code, an unknown service and the reason text', () => {
    expect(validateReferralAcceptedV1({ ...accepted, toAgency: 'facility' })).toEqual({
      ok: false,
      errors: ['toAgency: must be an agency code <province>-<TYPE>[-<n>]'],
    });
    expect(validateReferralAcceptedV1({ ...accepted, serviceType: 'MASSAGE' })).toEqual({
      ok: false,
      errors: ['serviceType: must be one of the listed values'],
    });
    expect(validateReferralAcceptedV1({ ...accepted, reason: 'uses heroin' })).toEqual({ ok: false, errors: ['reason: is not part of the contract'] });
  });
});
