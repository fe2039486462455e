import pino from 'pino';
import { corsOriginsFrom } from '../create-service-app';
import { LogCapture } from '../test-fixtures/log-capture';
import { logLevelFrom, PERSONAL_FIELD_PATHS, pinoOptions } from './logging';

describe('PERSONAL_FIELD_PATHS', () => {
  it('covers the personal fields the brief names, at the top and nested', () => {
    for (const field of ['name', 'fullName', 'idNumber', 'personalId', 'dateOfBirth', 'address', 'phone', 'photo']) {
      expect(PERSONAL_FIELD_PATHS).toContain(field);
      expect(PERSONAL_FIELD_PATHS).toContain(`*.*.${field}`);
    }
  });

  it('makes a pino logger drop personal fields at any depth up to five levels', () => {
    const capture = new LogCapture();
    const logger = pino(pinoOptions('test', 'info'), capture);
    logger.info(
      {
        fullName: 'Vũ Thị Mai',
        case: { person: { idNumber: '001122334455', residence: { address: '12 Phố Hàng Bạc' } } },
        list: [{ phone: '0912345678' }],
        count: 3,
      },
      'logged',
    );
    const line = capture.text;
    expect(line).toContain('"count":3');
    for (const secret of ['Vũ Thị Mai', '001122334455', 'Hàng Bạc', '0912345678']) expect(line).not.toContain(secret);
  });

  it('redacts authorization headers, cookies and bodies of a request object logged by hand', () => {
    const capture = new LogCapture();
    const logger = pino(pinoOptions('test', 'info'), capture);
    logger.info({ req: { headers: { authorization: 'Bearer abc.def', cookie: 'sid=1' }, body: { note: 'x' }, query: { q: 'Trịnh' }, url: '/api?q=Trịnh' } });
    for (const secret of ['abc.def', 'sid=1', '"note"', 'Trịnh']) expect(capture.text).not.toContain(secret);
  });
});

describe('configuration from the environment', () => {
  it('reads LOG_LEVEL, defaulting to info and refusing unknown levels', () => {
    expect(logLevelFrom(undefined)).toBe('info');
    expect(logLevelFrom('debug')).toBe('debug');
    expect(() => logLevelFrom('verbose')).toThrow(/LOG_LEVEL/);
  });

  it('reads CORS_ORIGINS as a comma-separated list, empty when unset', () => {
    expect(corsOriginsFrom(undefined)).toEqual([]);
    expect(corsOriginsFrom(' https://a.example , https://b.example,')).toEqual(['https://a.example', 'https://b.example']);
  });
});
