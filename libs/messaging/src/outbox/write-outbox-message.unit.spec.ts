import { randomUUID } from 'node:crypto';
import { InvalidSubjectError } from '../subjects';
import { rehabCompleted } from './outbox-spec-helpers';
import { OutboxMessageError, writeOutboxMessage, type OutboxMessage, type OutboxQueryable } from './write-outbox-message';

/** Bad messages are refused before anything reaches the database: this one fails the test if asked. */
const untouchable: OutboxQueryable = {
  query: () => Promise.reject(new Error('the database must not be reached')),
};

describe('writeOutboxMessage refuses a message it cannot publish', () => {
  const good = rehabCompleted({ prefix: 'int' });
  const cases: Array<[string, OutboxMessage, new (message?: string) => Error]> = [
    ['an id that is not a UUID', { ...good, id: 'evt-1' }, OutboxMessageError],
    ['a service that is not a subject token', { ...good, service: 'ca.ses' }, InvalidSubjectError],
    ['an event name with a wildcard', { ...good, eventName: 'Rehab>' }, InvalidSubjectError],
    ['version 0', { ...good, version: 0 }, InvalidSubjectError],
    ['data that is not an object', { ...good, data: [] as unknown as OutboxMessage['data'] }, OutboxMessageError],
    ['a header with a line break', { ...good, headers: { 'Hd-Note': 'a\r\nb' } }, OutboxMessageError],
    ['a header that would override the msg id', { ...good, headers: { 'nats-msg-id': randomUUID() } }, OutboxMessageError],
    ['a correlation id with a line break', { ...good, correlationId: 'x\ny' }, OutboxMessageError],
    ['a negative source position', { ...good, sourcePosition: { commit: -1n, prepare: 0n } }, OutboxMessageError],
  ];

  it.each(cases)('%s', async (_what, message, errorType) => {
    await expect(writeOutboxMessage(untouchable, message)).rejects.toThrow(errorType);
  });

  it('reads the inserted flag from a pg result and from TypeORM rows alike', async () => {
    const pgLike: OutboxQueryable = { query: async () => ({ rows: [] }) };
    const typeormLike: OutboxQueryable = { query: async () => [{ id: good.id }] };
    await expect(writeOutboxMessage(pgLike, good)).resolves.toEqual({ inserted: false, subject: 'int.cases.RehabCompleted.v1' });
    await expect(writeOutboxMessage(typeormLike, good)).resolves.toMatchObject({ inserted: true });
  });
});
