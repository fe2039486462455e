import { ConfigurationError, serviceConfigurationFromEnv } from './index';

describe('serviceConfigurationFromEnv', () => {
  it('defaults to the service’s port', () => expect(serviceConfigurationFromEnv(3001, {})).toEqual({ port: 3001 }));
  it('takes PORT and accepts a postgres DATABASE_URL', () =>
    expect(serviceConfigurationFromEnv(3001, { PORT: '0', DATABASE_URL: 'postgres://x@h/db' })).toEqual({ port: 0 }));
  it('refuses a bad port or URL without echoing it', () => {
    expect(() => serviceConfigurationFromEnv(3001, { PORT: 'abc' })).toThrow(ConfigurationError);
    expect(() => serviceConfigurationFromEnv(3001, { PORT: '70000' })).toThrow('PORT must be an integer from 0 to 65535');
    expect(() => serviceConfigurationFromEnv(3001, { DATABASE_URL: 'mysql://secret@h' })).toThrow('DATABASE_URL must be a postgres:// URL');
    try {
      serviceConfigurationFromEnv(3001, { DATABASE_URL: 'mysql://secret@h' });
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
});
