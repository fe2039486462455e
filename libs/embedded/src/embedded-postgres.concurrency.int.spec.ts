/**
 * Many client connections on PGlite's one backend session: each connection's protocol cycles and
 * transactions must run whole, never interleaved with another connection's messages, and a client
 * that vanishes must not leave the session wedged or half-committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

jest.setTimeout(120_000);

const scratch = mkdtempSync(join(tmpdir(), 'haidang-embedded-concurrency-'));
let server: EmbeddedPostgres;
let pool: Pool;

beforeAll(async () => {
  server = await startEmbeddedPostgres({ templateCacheDir: join(scratch, 'cache'), maxConnections: 24 });
  pool = new Pool({ connectionString: server.url, max: 8 });
  await pool.query('CREATE TABLE log (seq bigserial PRIMARY KEY, who text NOT NULL, tx xid8 NOT NULL DEFAULT pg_current_xact_id())');
  await pool.query('CREATE TABLE kept (v text NOT NULL)');
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await pool.query('TRUNCATE log, kept RESTART IDENTITY');
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('concurrent extended-protocol queries', () => {
  it('answers 200 concurrent parameterized queries over 8 connections, each with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.query<{ n: number; t: string }>('SELECT $1::int + $2::int AS n, $3::text AS t', [i, i, `q${i}`])),
    );
    expect(results.map((r) => r.rows)).toEqual(Array.from({ length: 200 }, (_, i) => [{ n: 2 * i, t: `q${i}` }]));
    expect(pool.totalCount).toBe(8);
  });

  it('keeps failing queries (the backend then skips to Sync) from disturbing the others', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        pool.query<{ n: number }>('SELECT 100 / $1::int AS n', [i % 3]).then(
          (r) => r.rows[0]?.n,
          (error: Error) => error.message,
        ),
      ),
    );
    outcomes.forEach((outcome, i) => expect(outcome).toBe(i % 3 === 0 ? 'division by zero' : Math.trunc(100 / (i % 3))));
  });

  it('runs a pipelining client (several cycles in one write) alongside the pool', async () => {
    const client = new Client({ connectionString: server.url, pipeline: true });
    await client.connect();
    try {
      const [piped, pooled] = await Promise.all([
        Promise.all(Array.from({ length: 50 }, (_, i) => client.query<{ n: number }>('SELECT $1::int * 10 AS n', [i]))),
        Promise.all(Array.from({ length: 50 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int * 100 AS n', [i]))),
      ]);
      expect(piped.map((r) => r.rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i * 10));
      expect(pooled.map((r) => r.rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i * 100));
    } finally {
      await client.end();
    }
  });
});

describe('transactions on several connections', () => {
  it('never interleave with each other or with autocommit statements', async () => {
    const transaction = async (label: string) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let step = 0; step < 4; step++) {
          await client.query('INSERT INTO log (who) VALUES ($1)', [label]);
          await pause(1); // give every other connection the chance to cut in
        }
        const { rows } = await client.query<{ same: boolean }>('SELECT count(DISTINCT tx) = 1 AS same FROM log WHERE who = $1', [label]);
        expect(rows[0]?.same).toBe(true);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const autocommits = Array.from({ length: 60 }, (_, i) => pool.query('INSERT INTO log (who) VALUES ($1)', [`auto${i}`]));
    // With pglite-socket 0.2.17 alone some of these got another query's result or 'portal "" does not exist'.
    const sums = Array.from({ length: 200 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int + $2::int AS n', [i, i]).then((r) => r.rows[0]?.n));
    const [, , results] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, (_, i) => transaction(`tx${i}`))),
      Promise.all(autocommits),
      Promise.all(sums),
    ]);
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => 2 * i));

    const { rows } = await pool.query<{ who: string; seqs: string[] }>(
      `SELECT who, array_agg(seq::text ORDER BY seq) AS seqs FROM log WHERE who LIKE 'tx%' GROUP BY who`,
    );
    expect(rows).toHaveLength(6);
    for (const { seqs } of rows) {
      const numbers = seqs.map(Number);
      // Four rows with consecutive positions: nothing else was written while the transaction was open.
      expect(numbers).toEqual([0, 1, 2, 3].map((k) => (numbers[0] as number) + k));
    }
    expect(Number((await pool.query('SELECT count(*) AS n FROM log')).rows[0].n)).toBe(6 * 4 + 60);
  });

  it('rolls back a failed transaction without touching the other connections', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO kept (v) VALUES ($1)', ['doomed']);
      await expect(client.query('SELECT 1 / 0')).rejects.toThrow('division by zero');
      const others = pool.query<{ n: number }>('SELECT $1::int AS n', [7]);
      await expect(client.query('SELECT 1')).rejects.toThrow('current transaction is aborted');
      await client.query('ROLLBACK');
      expect((await others).rows[0]?.n).toBe(7);
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM kept')).rows[0].n).toBe(0);
  });
});

describe('a client that goes away', () => {
  it('is rolled back when killed inside a transaction, and does not block the others', async () => {
    const victim = await RawClient.connect(server.port);
    await victim.simpleQuery('BEGIN');
    await victim.simpleQuery(`INSERT INTO kept (v) VALUES ('uncommitted')`);
    const waiting = pool.query<{ n: number }>('SELECT count(*)::int AS n FROM kept');
    await pause(100);
    victim.kill();
    expect((await waiting).rows[0]?.n).toBe(0);
    const { rows } = await pool.query<{ n: number }>('SELECT $1::int + $2::int AS n', [20, 22]);
    expect(rows[0]?.n).toBe(42);
    // The session is out of the transaction: a new transaction starts cleanly.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO kept (v) VALUES ('committed')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT v FROM kept')).rows).toEqual([{ v: 'committed' }]);
  });

  it('is rolled back when killed in a failed transaction', async () => {
    const victim = await RawClient.connect(server.port);
    await victim.simpleQuery('BEGIN');
    await victim.simpleQuery(`INSERT INTO kept (v) VALUES ('uncommitted')`);
    expect((await victim.simpleQuery('SELECT 1/0')).map((m) => m.type)).toContain('E');
    victim.kill();
    expect((await pool.query('SELECT count(*)::int AS n FROM kept')).rows[0].n).toBe(0);
  });

  it('does not commit an unfinished extended-protocol cycle (Execute sent, no Sync)', async () => {
    const victim = await RawClient.connect(server.port);
    victim.send(parseMessage('', 'INSERT INTO kept (v) VALUES ($1)'), bindMessage('', '', ['no sync']), executeMessage(''), flushMessage());
    expect((await victim.readUntil('C')).at(-1)?.type).toBe('C'); // the INSERT ran
    const waiting = pool.query<{ n: number }>('SELECT count(*)::int AS n FROM kept');
    await pause(50);
    victim.kill();
    expect((await waiting).rows[0]?.n).toBe(0);
  });

  it('keeps a portal of its own across round trips until Sync (a cursor read in steps)', async () => {
    const reader = await RawClient.connect(server.port);
    try {
      reader.send(parseMessage('', 'SELECT g FROM generate_series(1, 5) g'), bindMessage('', '', []), executeMessage('', 2), flushMessage());
      const first = await reader.readUntil('s'); // PortalSuspended
      const others = Promise.all(Array.from({ length: 10 }, (_, i) => pool.query('SELECT $1::int AS n', [i])));
      await pause(50);
      reader.send(executeMessage('', 0), syncMessageForTest());
      const rest = await reader.readUntil('Z');
      const values = [...first, ...rest].filter((m) => m.type === 'D').map((m) => m.body.subarray(6).toString());
      expect(values).toEqual(['1', '2', '3', '4', '5']);
      expect((await others).map((r) => r.rows[0].n)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    } finally {
      reader.kill();
    }
  });

  it('does not block others when killed while it waits for its turn', async () => {
    const holder = await pool.connect();
    const queued = await RawClient.connect(server.port);
    try {
      await holder.query('BEGIN');
      queued.send(parseMessage('', 'SELECT 1'), bindMessage('', '', []), executeMessage(''), syncMessageForTest());
      const alsoQueued = pool.query<{ n: number }>('SELECT $1::int AS n', [5]);
      await pause(50);
      queued.kill();
      await holder.query('COMMIT');
      expect((await alsoQueued).rows[0]?.n).toBe(5);
    } finally {
      holder.release();
    }
  });
});

describe('named prepared statements', () => {
  it('are kept apart per connection and dropped when the connection ends', async () => {
    const a = new Client({ connectionString: server.url });
    const b = new Client({ connectionString: server.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      // The same name with different text on two connections, as a real server allows.
      const [ra, rb] = await Promise.all([
        a.query<{ v: string }>({ name: 'pick', text: "SELECT 'a:' || $1::text AS v", values: ['1'] }),
        b.query<{ v: string }>({ name: 'pick', text: "SELECT 'b:' || $1::text AS v", values: ['1'] }),
      ]);
      expect([ra.rows[0]?.v, rb.rows[0]?.v]).toEqual(['a:1', 'b:1']);
      // Reused (pg sends only Bind/Execute the second time), still each connection's own.
      const again = await Promise.all([
        a.query<{ v: string }>({ name: 'pick', text: "SELECT 'a:' || $1::text AS v", values: ['2'] }),
        b.query<{ v: string }>({ name: 'pick', text: "SELECT 'b:' || $1::text AS v", values: ['2'] }),
      ]);
      expect(again.map((r) => r.rows[0]?.v)).toEqual(['a:2', 'b:2']);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    // A new connection may use the name again; the old ones' statements are gone.
    const c = new Client({ connectionString: server.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ v: string }>({ name: 'pick', text: "SELECT 'c:' || $1::text AS v", values: ['3'] });
      expect(rows[0]?.v).toBe('c:3');
      const { rows: left } = await c.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
      expect(left).toHaveLength(1);
    } finally {
      await c.end();
    }
  });
});

describe('connection limits and protocol edges', () => {
  it('refuses a connection beyond maxConnections with "too many clients"', async () => {
    const small = await startEmbeddedPostgres({ templateCacheDir: join(scratch, 'cache'), maxConnections: 1 });
    const first = new Client({ connectionString: small.url });
    const second = new Client({ connectionString: small.url });
    try {
      await first.connect();
      await expect(second.connect()).rejects.toThrow('too many clients');
      expect((await first.query('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await first.end();
      await small.stop();
    }
  });

  it('answers an SSL request with N and goes on in plain text', async () => {
    const client = new Client({ connectionString: server.url, ssl: false });
    await client.connect();
    await client.end();
    const socket = connect(server.port, '127.0.0.1');
    const reply = await new Promise<Buffer>((resolve, reject) => {
      socket.once('data', resolve);
      socket.once('error', reject);
      const ssl = Buffer.alloc(8);
      ssl.writeInt32BE(8, 0);
      ssl.writeInt32BE(80877103, 4);
      socket.write(ssl);
    });
    socket.destroy();
    expect(reply.toString()).toBe('N');
  });

  it('fails every connection at once, not hangs, when the session ends (COPY FROM STDIN cannot work on PGlite)', async () => {
    const doomed = await startEmbeddedPostgres({ templateCacheDir: join(scratch, 'cache') });
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const other = new Client({ connectionString: doomed.url });
    other.on('error', () => undefined);
    try {
      await other.connect();
      await other.query('CREATE TABLE t (v text)');
      const copier = await RawClient.connect(doomed.port);
      // PGlite runs each batch of messages to the end: the COPY data cannot arrive, and the backend exits.
      const reply = await copier.simpleQuery('COPY t FROM STDIN').catch(() => []);
      expect(reply.length === 0 || reply.some((m) => m.type === 'E')).toBe(true);
      await expect(other.query('SELECT 1')).rejects.toThrow(/session has ended|terminated/);
      const late = new Client({ connectionString: doomed.url });
      await expect(late.connect()).rejects.toThrow(/session has ended/);
      expect(warnings).toHaveBeenCalledWith(expect.stringContaining('session has ended'));
    } finally {
      await doomed.stop();
      warnings.mockRestore();
    }
  });

  it('stops while a client holds a transaction open, rolling it back', async () => {
    const dataDir = join(scratch, 'stop-data');
    const own = await startEmbeddedPostgres({ dataDir, templateCacheDir: join(scratch, 'cache') });
    const holder = new Client({ connectionString: own.url });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('CREATE TABLE t (v int)');
    await holder.query('BEGIN');
    await holder.query('INSERT INTO t VALUES (1)');
    await own.stop();
    const reopened = await startEmbeddedPostgres({ dataDir, templateCacheDir: join(scratch, 'cache') });
    const reader = new Client({ connectionString: reopened.url });
    await reader.connect();
    try {
      expect((await reader.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(0);
    } finally {
      await reader.end();
      await reopened.stop();
    }
  });
});

// --- A bare wire-protocol client, to do what pg never does: vanish mid-cycle, hold a portal. ---

interface BackendMessage {
  readonly type: string;
  readonly body: Buffer;
}

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

const cstring = (value: string) => Buffer.from(`${value}\0`);

function parseMessage(name: string, sql: string): Buffer {
  return typed('P', Buffer.concat([cstring(name), cstring(sql), Buffer.from([0, 0])]));
}

function bindMessage(portal: string, statement: string, params: string[]): Buffer {
  const parts = [cstring(portal), cstring(statement), Buffer.from([0, 0]), Buffer.alloc(2)];
  (parts[3] as Buffer).writeInt16BE(params.length);
  for (const param of params) {
    const value = Buffer.from(param);
    const length = Buffer.alloc(4);
    length.writeInt32BE(value.length);
    parts.push(length, value);
  }
  parts.push(Buffer.from([0, 0]));
  return typed('B', Buffer.concat(parts));
}

function executeMessage(portal: string, maxRows = 0): Buffer {
  const rows = Buffer.alloc(4);
  rows.writeInt32BE(maxRows);
  return typed('E', Buffer.concat([cstring(portal), rows]));
}

const flushMessage = () => typed('H', Buffer.alloc(0));
const syncMessageForTest = () => typed('S', Buffer.alloc(0));

class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly messages: BackendMessage[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 5 && this.buffered.length >= 1 + this.buffered.readInt32BE(1)) {
        const length = this.buffered.readInt32BE(1);
        this.messages.push({ type: String.fromCharCode(this.buffered[0] as number), body: this.buffered.subarray(5, 1 + length) });
        this.buffered = this.buffered.subarray(1 + length);
      }
      this.wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await client.readUntil('Z');
    return client;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  simpleQuery(sql: string): Promise<BackendMessage[]> {
    this.send(typed('Q', cstring(sql)));
    return this.readUntil('Z');
  }

  /** Messages received up to and including the first of `type`; rejects if the server closes first. */
  async readUntil(type: string): Promise<BackendMessage[]> {
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(0, index + 1);
      if (this.closed) throw Object.assign(new Error('connection closed'), { received: this.messages.splice(0) });
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Gone without a goodbye (no Terminate), as a crashed process. */
  kill(): void {
    this.socket.resetAndDestroy();
  }
}
