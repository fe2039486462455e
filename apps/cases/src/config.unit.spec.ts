import { casesConfigFromEnv, ConfigurationError } from './config';

describe('casesConfigFromEnv', () => {
  it('defaults to port 3001 and the embedded database', () => expect(casesConfigFromEnv({})).toEqual({ port: 3001, databaseUrl: undefined }));
  it('takes PORT and DATABASE_URL', () => expect(casesConfigFromEnv({ PORT: '0', DATABASE_URL: 'postgres://x@h/db' })).toEqual({ port: 0, databaseUrl: 'postgres://x@h/db' }));
  it('refuses a bad port or URL without echoing it', () => {
    expect(() => casesConfigFromEnv({ PORT: 'abc' })).toThrow(ConfigurationError);
    expect(() => casesConfigFromEnv({ DATABASE_URL: 'mysql://secret@h' })).toThrow('DATABASE_URL must be a postgres:// URL');
  });
});
