import { referralsConfigFromEnv, ConfigurationError } from './config';

describe('referralsConfigFromEnv', () => {
  it('defaults to port 3002 and the embedded database', () =>
    expect(referralsConfigFromEnv({})).toEqual({ port: 3002, extra: { overdueCheckIntervalMs: 60_000 } }));
  it('takes PORT and DATABASE_URL', () =>
    expect(referralsConfigFromEnv({ PORT: '0', DATABASE_URL: 'postgres://x@h/db' })).toEqual({ port: 0, extra: { overdueCheckIntervalMs: 60_000 } }));
  it('refuses a bad port or URL without echoing it', () => {
    expect(() => referralsConfigFromEnv({ PORT: 'abc' })).toThrow(ConfigurationError);
    expect(() => referralsConfigFromEnv({ DATABASE_URL: 'mysql://secret@h' })).toThrow('DATABASE_URL must be a postgres:// URL');
  });
  it('takes OVERDUE_CHECK_INTERVAL_MS in milliseconds, 60 s when unset or empty', () => {
    expect(referralsConfigFromEnv({ OVERDUE_CHECK_INTERVAL_MS: '300' }).extra.overdueCheckIntervalMs).toBe(300);
    expect(referralsConfigFromEnv({ OVERDUE_CHECK_INTERVAL_MS: ' 100 ' }).extra.overdueCheckIntervalMs).toBe(100);
    expect(referralsConfigFromEnv({ OVERDUE_CHECK_INTERVAL_MS: '2147483647' }).extra.overdueCheckIntervalMs).toBe(2_147_483_647);
    expect(referralsConfigFromEnv({ OVERDUE_CHECK_INTERVAL_MS: '' }).extra.overdueCheckIntervalMs).toBe(60_000);
  });
  it.each(['99', '0', '-500', '1.5', '1e3', 'abc', '300ms', '2147483648', '99999999999999999999'])('refuses OVERDUE_CHECK_INTERVAL_MS=%s', (value) => {
    expect(() => referralsConfigFromEnv({ OVERDUE_CHECK_INTERVAL_MS: value })).toThrow(
      new ConfigurationError('OVERDUE_CHECK_INTERVAL_MS must be an integer from 100 to 2147483647 (milliseconds)'),
    );
  });
});
