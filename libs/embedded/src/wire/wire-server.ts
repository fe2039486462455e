import { createServer, type Server, type Socket } from 'node:net';
import {
  ByteQueue,
  closeStatementMessage,
  copyFailMessage,
  errorResponse,
  FRONTEND,
  ProtocolViolation,
  queryMessage,
  ReadyForQueryTracker,
  StatementNamespace,
  syncMessage,
  takeTypedMessage,
  takeUntypedMessage,
} from './protocol';
import { SessionLock } from './session-lock';

/** The one PostgreSQL backend session that every client connection shares (PGlite). */
export interface SessionBackend {
  /**
   * Runs complete frontend messages on the session, in order, and passes the backend's reply bytes to
   * `onData` as they come. Owns `messages` from then on (it may transfer the buffer to a worker).
   */
  exec(messages: Uint8Array, onData: (chunk: Uint8Array) => void): Promise<void>;
}

export interface WireServerOptions {
  readonly backend: SessionBackend;
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
  /** Connections beyond this are refused with "too many clients" (SQLSTATE 53300). */
  readonly maxConnections: number;
  readonly onWarning?: (message: string) => void;
}

export interface WireServer {
  readonly port: number;
  /** Stops listening, drops every client (rolling back what each had open) and waits for that. */
  close(): Promise<void>;
}

/**
 * Serves one backend session to many PostgreSQL clients over the wire protocol, one cycle at a time.
 *
 * A connection gets the session for a whole cycle — from its first message until the backend's
 * ReadyForQuery — and keeps it while that ReadyForQuery reports an open or failed transaction block.
 * So no other connection's message ever lands between a Parse and its Sync (they would trample the
 * unnamed statement and portal, or be skipped while the backend ignores messages till Sync), nor
 * inside another connection's transaction. A connection that goes away mid-cycle or mid-transaction
 * is rolled back, as a real server does, before the session passes on; its named prepared
 * statements (kept apart per connection, see StatementNamespace) are closed.
 */
export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message));
  const lock = new SessionLock<ClientConnection>();
  const connections = new Set<ClientConnection>();
  let nextId = 1;

  /** Every open socket, refused ones included: server.close() waits for all of them. */
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (connections.size >= options.maxConnections) {
      socket.on('error', () => undefined);
      socket.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      return;
    }
    const connection = new ClientConnection(nextId++, socket, lock, options.backend, warn);
    connections.add(connection);
    void connection.finished.then(() => connections.delete(connection));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => warn(`Embedded PostgreSQL server: ${String(error)}`));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Expected a TCP address');

  let closed: Promise<void> | undefined;
  return {
    port: address.port,
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const pending = [...connections];
        for (const socket of sockets) socket.destroy();
        await Promise.all(pending.map((connection) => connection.finished));
        await stopped;
      })();
      return closed;
    },
  };
}

/** One client connection: frames its messages and runs them on the session in whole cycles. */
class ClientConnection {
  readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private readonly input = new ByteQueue();
  private readonly replies = new ReadyForQueryTracker();
  private readonly statements: StatementNamespace;
  /** The start-up packet has been answered: from here on messages are typed. */
  private started = false;
  /** Terminate received, or the connection failed: read nothing more. */
  private ending = false;
  private closed = false;
  private pumping = false;
  private cleanedUp = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly lock: SessionLock<ClientConnection>,
    private readonly backend: SessionBackend,
    private readonly warn: (message: string) => void,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.statements = new StatementNamespace(id);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.ending) return;
      this.input.push(chunk);
      this.kick();
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      this.closed = true;
      this.kick();
    });
  }

  /** Runs the pump unless it runs already; it drains the input, then cleans up once closed. */
  private kick(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) {
          await this.cleanUp();
          return;
        }
        try {
          const step = this.nextStep();
          // Returning here and clearing `pumping` (finally) happen in one synchronous run, so data
          // that arrives later always finds the pump stopped and kicks it.
          if (!step) return;
          await step();
        } catch (error) {
          this.fail(error);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** What to do with the input buffered so far, if it holds a whole message. */
  private nextStep(): (() => Promise<void>) | undefined {
    if (this.ending) return undefined;
    if (!this.started) {
      const message = takeUntypedMessage(this.input);
      if (!message) return undefined;
      switch (message.kind) {
        case 'ssl':
        case 'gssenc':
          return async () => this.write(Buffer.from('N')); // not supported; the client goes on in plain text
        case 'cancel':
          // Nothing runs concurrently on one session, so there is nothing to cancel.
          return async () => this.end();
        case 'startup':
          return async () => {
            await this.run([message.bytes]);
            this.started = true;
          };
      }
    }
    // Everything complete that has arrived, in one go: a pipelined client's cycles run back to back.
    const messages: Buffer[] = [];
    for (;;) {
      const message = takeTypedMessage(this.input);
      if (!message) break;
      if (message[0] === FRONTEND.terminate) {
        // PGlite must never see Terminate: it is the session of every connection.
        this.ending = true;
        this.input.clear();
        break;
      }
      messages.push(this.statements.rewrite(message));
    }
    if (messages.length === 0) return this.ending ? async () => this.end() : undefined;
    return async () => {
      await this.run(messages);
      if (this.ending) this.end();
    };
  }

  /** Runs messages on the session, holding it until the backend is idle outside a transaction. */
  private async run(messages: readonly Buffer[]): Promise<void> {
    await this.lock.acquire(this);
    if (this.closed) return; // cleanUp() rolls back and releases
    await this.backend.exec(ownedCopy(messages), (chunk) => {
      this.replies.feed(chunk);
      this.write(chunk);
    });
    if (this.replies.idle) this.lock.release(this);
  }

  /**
   * After the client has gone: undo what it left open on the shared session, as a real server does
   * when a backend's client disconnects, and close its named statements. Always releases the session.
   */
  private async cleanUp(): Promise<void> {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.input.clear();
    try {
      const statements = this.statements.serverNames;
      if (!this.lock.holds(this) && statements.length === 0) return;
      await this.lock.acquire(this);
      const messages: Buffer[] = [];
      if (this.started && !this.replies.idle) {
        messages.push(
          // Ends COPY FROM STDIN if one is in progress (ignored otherwise)...
          copyFailMessage('client connection closed'),
          // ...aborts an implicit transaction of an unfinished extended-protocol cycle (a Sync would
          // commit it) or an open transaction block (skipped if the backend waits for Sync)...
          queryMessage('ROLLBACK'),
          // ...ends the extended-protocol cycle...
          syncMessage(),
          // ...and rolls back a transaction block that the first ROLLBACK did not reach.
          queryMessage('ROLLBACK'),
        );
      }
      for (const name of statements) messages.push(closeStatementMessage(name));
      if (statements.length > 0) messages.push(syncMessage());
      if (messages.length > 0) await this.backend.exec(ownedCopy(messages), (chunk) => this.replies.feed(chunk));
      if (this.started && !this.replies.idle) {
        this.warn(`Embedded PostgreSQL: connection ${this.id} left the session in state ${this.replies.status ?? 'mid-cycle'}`);
      }
    } catch {
      // The backend has failed, and said so; nothing is left to undo on it.
    } finally {
      this.lock.release(this);
      this.resolveFinished();
    }
  }

  /** A protocol violation, or the backend failed (which its SessionBackend reports): drop this client. */
  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.ending = true;
    this.input.clear();
    this.write(errorResponse('FATAL', error instanceof ProtocolViolation ? '08P01' : 'XX000', message));
    this.end();
  }

  /** Closes our side; cleanUp() follows in the pump. */
  private end(): void {
    this.closed = true;
    this.socket.end();
  }

  private write(chunk: Uint8Array): void {
    if (this.socket.writable) this.socket.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
}

/** One fresh buffer holding the messages, which the backend may transfer to its worker. */
function ownedCopy(messages: readonly Buffer[]): Uint8Array {
  let length = 0;
  for (const message of messages) length += message.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const message of messages) {
    out.set(message, offset);
    offset += message.length;
  }
  return out;
}
