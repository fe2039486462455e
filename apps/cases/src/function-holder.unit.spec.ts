import type { Agency, Principal } from '@haidang/request-context';
import { parseAgencyCode } from '@haidang/request-context';
import { assertHoldsFunction } from './function-holder';

const principal = (agency: string): Principal => ({ sub: 'u', agency: parseAgencyCode(agency) as Agency, roles: ['data-protection'], jurisdiction: ['22'] });

describe('acts of the holder of a function, on the act’s date', () => {
  it('drug-rehab state management: DOLISA until 2025-02-28, the provincial police from 2025-03-01', () => {
    expect(() => assertHoldsFunction(principal('22-DOLISA'), 'DRUG_REHAB_STATE_MANAGEMENT', '2025-02-28')).not.toThrow();
    expect(() => assertHoldsFunction(principal('22-POLICE'), 'DRUG_REHAB_STATE_MANAGEMENT', '2025-02-28')).toThrow();
    expect(() => assertHoldsFunction(principal('22-DOLISA'), 'DRUG_REHAB_STATE_MANAGEMENT', '2025-03-01')).toThrow();
    expect(() => assertHoldsFunction(principal('22-POLICE'), 'DRUG_REHAB_STATE_MANAGEMENT', '2025-03-01')).not.toThrow();
  });

  it('management of illegal drug users: the commune on either side of the reorganisation, never its police', () => {
    for (const day of ['2022-03-10', '2025-02-28', '2025-03-01', '2026-08-03']) {
      expect(() => assertHoldsFunction(principal('22-COMMUNE-06793'), 'DRUG_USER_MANAGEMENT', day)).not.toThrow();
      expect(() => assertHoldsFunction(principal('22-COMMUNE_POLICE-06793'), 'DRUG_USER_MANAGEMENT', day)).toThrow();
    }
  });
});
