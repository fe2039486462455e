import {
  ByteQueue,
  closeStatementMessage,
  ProtocolViolation,
  queryMessage,
  ReadyForQueryTracker,
  StatementNamespace,
  syncMessage,
  takeTypedMessage,
  takeUntypedMessage,
} from './protocol';

function typed(type: string, ...parts: (string | Buffer)[]): Buffer {
  const body = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

const parse = (name: string, sql: string) => typed('P', `${name}\0${sql}\0`, Buffer.from([0, 0]));
const bind = (portal: string, statement: string) => typed('B', `${portal}\0${statement}\0`, Buffer.from([0, 0, 0, 0, 0, 0]));
const ready = (status: string) => typed('Z', status);

describe('ByteQueue and message framing', () => {
  it('takes typed messages whole, however the bytes were split', () => {
    const stream = Buffer.concat([parse('', 'SELECT 1'), bind('', ''), syncMessage()]);
    for (const size of [1, 2, 3, 7, stream.length]) {
      const queue = new ByteQueue();
      const taken: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) {
        queue.push(stream.subarray(i, i + size));
        for (let message = takeTypedMessage(queue); message; message = takeTypedMessage(queue)) taken.push(message);
      }
      expect(Buffer.concat(taken)).toEqual(stream);
      expect(taken.map((message) => String.fromCharCode(message[0] as number))).toEqual(['P', 'B', 'S']);
      expect(queue.length).toBe(0);
    }
  });

  it('tells start-up packets from SSL and cancel requests, and refuses nonsense lengths', () => {
    const packet = (code: number, extra = Buffer.alloc(0)) => {
      const out = Buffer.alloc(8 + extra.length);
      out.writeInt32BE(out.length, 0);
      out.writeInt32BE(code, 4);
      extra.copy(out, 8);
      return out;
    };
    const queue = new ByteQueue();
    queue.push(Buffer.concat([packet(80877103), packet(196608, Buffer.from('user\0postgres\0\0'))]));
    expect(takeUntypedMessage(queue)?.kind).toBe('ssl');
    expect(takeUntypedMessage(queue)?.kind).toBe('startup');
    queue.push(packet(80877102, Buffer.alloc(8)).subarray(0, 10));
    expect(takeUntypedMessage(queue)).toBeUndefined();

    const bad = new ByteQueue();
    bad.push(Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]));
    expect(() => takeUntypedMessage(bad)).toThrow(ProtocolViolation);
    const badTyped = new ByteQueue();
    badTyped.push(Buffer.from([0x51, 0, 0, 0, 1]));
    expect(() => takeTypedMessage(badTyped)).toThrow(ProtocolViolation);
  });
});

describe('ReadyForQueryTracker', () => {
  const feedSplit = (tracker: ReadyForQueryTracker, bytes: Buffer, size: number) => {
    for (let i = 0; i < bytes.length; i += size) tracker.feed(bytes.subarray(i, i + size));
  };

  it('is idle only after a ReadyForQuery outside a transaction block, across any chunking', () => {
    const reply = Buffer.concat([typed('1'), typed('2'), typed('D', Buffer.alloc(300)), typed('C', 'SELECT 1\0')]);
    for (const size of [1, 4, 5, 6, 1000]) {
      const tracker = new ReadyForQueryTracker();
      expect(tracker.status).toBeUndefined();
      feedSplit(tracker, reply, size);
      expect(tracker.status).toBeUndefined(); // mid-cycle
      feedSplit(tracker, ready('I'), size);
      expect(tracker.idle).toBe(true);
      feedSplit(tracker, Buffer.concat([typed('C', 'BEGIN\0'), ready('T')]), size);
      expect([tracker.status, tracker.idle]).toEqual(['T', false]);
      feedSplit(tracker, Buffer.concat([typed('E', 'SERROR\0\0'), ready('E')]), size);
      expect(tracker.status).toBe('E');
      feedSplit(tracker, typed('1'), size); // a new cycle began
      expect(tracker.status).toBeUndefined();
    }
  });

  it('is not moved by asynchronous messages after ReadyForQuery', () => {
    const tracker = new ReadyForQueryTracker();
    tracker.feed(Buffer.concat([ready('I'), typed('N', 'SNOTICE\0\0'), typed('S', 'a\0b\0'), typed('A', Buffer.alloc(9))]));
    expect(tracker.idle).toBe(true);
  });
});

describe('StatementNamespace', () => {
  const names = (message: Buffer) => message.subarray(5).toString('latin1');

  it('renames named statements per connection in Parse, Bind, Describe and Close, and keeps lengths right', () => {
    const a = new StatementNamespace(1);
    const b = new StatementNamespace(2);
    const parsed = a.rewrite(parse('stmt', 'SELECT $1'));
    expect(names(parsed)).toBe('c1:stmt\0SELECT $1\0\0\0');
    expect(parsed.readInt32BE(1)).toBe(parsed.length - 1);
    expect(names(b.rewrite(parse('stmt', 'SELECT $1')))).toContain('c2:stmt\0');
    expect(names(a.rewrite(bind('', 'stmt')))).toBe('\0c1:stmt\0\0\0\0\0\0\0');
    expect(names(a.rewrite(typed('D', 'Sstmt\0')))).toBe('Sc1:stmt\0');
    expect(a.serverNames).toEqual(['c1:stmt']);
    expect(names(a.rewrite(typed('C', 'Sstmt\0')))).toBe('Sc1:stmt\0');
    expect(a.serverNames).toEqual([]);
  });

  it('leaves unnamed statements, portals and other messages alone', () => {
    const ns = new StatementNamespace(3);
    for (const message of [
      parse('', 'SELECT 1'),
      bind('portal', ''),
      typed('D', 'Pportal\0'),
      typed('C', 'Pportal\0'),
      queryMessage('SELECT 1'),
      syncMessage(),
    ]) {
      expect(ns.rewrite(message)).toBe(message);
    }
    expect(ns.serverNames).toEqual([]);
  });

  it('keeps long names distinct within the 63 bytes PostgreSQL keeps of a name', () => {
    const ns = new StatementNamespace(12345);
    const long1 = ns.serverName(Buffer.from('x'.repeat(70) + '1'));
    const long2 = ns.serverName(Buffer.from('x'.repeat(70) + '2'));
    expect(long1).not.toBe(long2);
    expect(Buffer.byteLength(long1, 'latin1')).toBeLessThanOrEqual(63);
    expect(ns.serverName(Buffer.from('x'.repeat(70) + '1'))).toBe(long1);
    expect(closeStatementMessage(long1).subarray(5).toString('latin1')).toBe(`S${long1}\0`);
  });
});
