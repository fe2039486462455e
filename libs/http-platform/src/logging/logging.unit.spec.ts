import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { corsOriginsFrom } from '../create-service-app';
import { LogCapture } from '../test-fixtures/log-capture';
import { createServiceLogging, logLevelFrom, PERSONAL_FIELD_NAMES, pinoOptions, REDACTED } from './logging';

describe('redaction of personal fields', () => {
  it('covers the personal fields the brief names', () => {
    for (const field of ['name', 'fullName', 'idNumber', 'personalId', 'dateOfBirth', 'address', 'phone', 'photo']) {
      expect(PERSONAL_FIELD_NAMES).toContain(field);
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

  it('never writes a personal field of a body, however the body is logged, and leaves the logged object as it was', () => {
    class RegisterPersonBody {
      constructor(
        readonly fullName: string,
        readonly residence: { address: string },
        readonly note: string,
      ) {}
    }
    const body = new RegisterPersonBody('Lê Văn Tám', { address: '7 Phố Lý Thường Kiệt' }, 'kept');
    const deep = { a: { b: { c: { d: { e: { f: { g: { idNumber: '022190001234' } } } } } } } };
    const capture = new LogCapture();
    const logger = pino(pinoOptions('test', 'info'), capture);
    logger.info({ body }, 'as a body');
    logger.info({ request: { body, url: '/api/v1/persons?q=L%C3%AA' } }, 'inside a request');
    logger.info({ person: body, deep, list: [[{ person: body }]] }, 'as a value, nested and in arrays');
    logger.info({ wrapped: { toJSON: () => ({ phone: '0987654321' }) } }, 'through toJSON');
    const lines = capture.parsed();
    expect(lines).toHaveLength(4);
    for (const secret of ['Lê Văn Tám', 'Lý Thường Kiệt', '022190001234', '0987654321', 'L%C3%AA']) expect(capture.text).not.toContain(secret);
    expect(lines[2]).toMatchObject({ person: { fullName: REDACTED, residence: REDACTED, note: 'kept' } });
    // The caller's objects keep their values: redaction copies what it changes.
    expect(body.fullName).toBe('Lê Văn Tám');
    expect(deep.a.b.c.d.e.f.g.idNumber).toBe('022190001234');
  });
});

describe('access lines', () => {
  function request(method: string, url: string): IncomingMessage {
    return Object.assign(new EventEmitter(), {
      method,
      url,
      headers: { 'x-correlation-id': 'access-1' },
      readableAborted: false,
    }) as unknown as IncomingMessage;
  }
  function response(statusCode: number): ServerResponse {
    return Object.assign(new EventEmitter(), { statusCode, headersSent: true, writableEnded: true }) as unknown as ServerResponse;
  }

  it('writes method, route pattern, status and time, at the level the status calls for, and nothing below the configured level', () => {
    const capture = new LogCapture();
    const logging = createServiceLogging({ service: 'test', level: 'warn', destination: capture });
    for (const status of [201, 422, 503]) {
      const req = Object.assign(request('POST', '/api/v1/persons?q=Mai'), { route: { path: '/api/v1/persons' } });
      const res = response(status);
      logging.accessLog(req, res, () => undefined);
      res.emit('finish');
      res.emit('close');
    }
    const lines = capture.parsed();
    expect(lines.map((line) => line['res'])).toEqual([{ statusCode: 422 }, { statusCode: 503 }]);
    expect(lines[0]).toMatchObject({
      level: 40,
      service: 'test',
      correlationId: 'access-1',
      route: '/api/v1/persons',
      req: { method: 'POST' },
      msg: 'request completed',
    });
    expect(lines[1]).toMatchObject({ level: 50, err: { errorName: 'Error' }, msg: 'request errored' });
    expect(capture.text).not.toContain('Mai');
  });

  it('does not log health and metrics scrapes', () => {
    const capture = new LogCapture();
    const logging = createServiceLogging({ service: 'test', level: 'info', destination: capture });
    const res = response(200);
    logging.accessLog(request('GET', '/health/live'), res, () => undefined);
    res.emit('finish');
    expect(capture.lines).toHaveLength(0);
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
