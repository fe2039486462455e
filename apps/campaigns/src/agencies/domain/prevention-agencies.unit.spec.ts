import { AGENCY_TYPE_PERIODS } from '@haidang/request-context';
import { actsForPreventionOn, PREVENTION_AGENCY_TYPES, preventionHolderOn, SOCIAL_EVILS_PREVENTION_HOLDERS } from './prevention-agencies';

describe('holder of social-evils prevention by date', () => {
  it('is DOLISA for plan 146 (2022) and HEALTH after the 2025 reorganisation, changing on one day', () => {
    expect(preventionHolderOn('2022-05-20')).toBe('DOLISA');
    expect(preventionHolderOn('2025-02-28')).toBe('DOLISA');
    expect(preventionHolderOn('2025-03-01')).toBe('HEALTH');
    expect(preventionHolderOn('2026-06-26')).toBe('HEALTH');
  });

  it('lets a department act only while it holds the function, and a commune always', () => {
    expect(actsForPreventionOn('DOLISA', '2022-06-26')).toBe(true);
    expect(actsForPreventionOn('DOLISA', '2026-06-26')).toBe(false);
    expect(actsForPreventionOn('HEALTH', '2022-06-26')).toBe(false);
    expect(actsForPreventionOn('HEALTH', '2026-06-26')).toBe(true);
    expect(actsForPreventionOn('COMMUNE', '2022-06-26')).toBe(true);
  });

  it('leaves no day without a holder and no day with two', () => {
    const sorted = [...SOCIAL_EVILS_PREVENTION_HOLDERS].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    expect(sorted[0]?.validFrom).toBeNull();
    expect(sorted[sorted.length - 1]?.validUntil).toBeNull();
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.validFrom).toBe(sorted[i - 1]?.validUntil);
  });

  it('reads the platform agency table (ADR 0010), with its sources, instead of dates of its own', () => {
    expect(PREVENTION_AGENCY_TYPES).toEqual(['DOLISA', 'HEALTH']);
    for (const holder of SOCIAL_EVILS_PREVENTION_HOLDERS) {
      const row = AGENCY_TYPE_PERIODS.find((period) => period.type === holder.agencyType && period.validFrom === holder.validFrom);
      expect(row?.source).toBe(holder.source);
      expect(row?.functions).toContain('SOCIAL_EVILS_PREVENTION');
    }
  });
});
