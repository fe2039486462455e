import { referralsConfigFromEnv, ConfigurationError } from './config';

describe('referralsConfigFromEnv', () => {
  it('defaults to port 3002 and the embedded database', () => expect(referralsConfigFromEnv({})).toEqual({ port: 3002, databaseUrl: undefined }));
  it('takes PORT and DATABASE_URL', () => expect(referralsConfigFromEnv({ PORT: '0', DATABASE_URL: 'postgres://x@h/db' })).toEqual({ port: 0, databaseUrl: 'postgres://x@h/db' }));
  it('refuses a bad port or URL without echoing it', () => {
    expect(() => referralsConfigFromEnv({ PORT: 'abc' })).toThrow(ConfigurationError);
    expect(() => referralsConfigFromEnv({ DATABASE_URL: 'mysql://secret@h' })).toThrow('DATABASE_URL must be a postgres:// URL');
  });
});
