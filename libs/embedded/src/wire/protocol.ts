import { createHash } from 'node:crypto';

/**
 * The bits of the PostgreSQL v3 wire protocol the embedded server needs: framing the client's
 * messages, following the backend's replies to its ReadyForQuery, and building the few messages it
 * sends itself. https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** First messages of a connection have no type byte: Int32 length, Int32 code. */
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** Frontend message types (the first byte of a typed message). */
export const FRONTEND = {
  bind: 0x42, // 'B'
  close: 0x43, // 'C'
  describe: 0x44, // 'D'
  parse: 0x50, // 'P'
  query: 0x51, // 'Q'
  sync: 0x53, // 'S'
  terminate: 0x58, // 'X'
  copyFail: 0x66, // 'f'
} as const;

const STATEMENT = 0x53; // 'S' in Describe and Close: a prepared statement (else 'P', a portal)

/** PostgreSQL truncates identifiers such as prepared statement names to NAMEDATALEN - 1 bytes. */
const MAX_NAME_BYTES = 63;

/** Backend messages that may arrive between cycles, so they do not end a ReadyForQuery state. */
const ASYNCHRONOUS_BACKEND = new Set([
  0x4e, // 'N' NoticeResponse
  0x41, // 'A' NotificationResponse
  0x53, // 'S' ParameterStatus
]);
const READY_FOR_QUERY = 0x5a; // 'Z'

/** Bytes received from a socket, taken out as whole messages without copying every chunk twice. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The byte at `offset`; the caller checks `length` first. */
  byteAt(offset: number): number {
    for (const chunk of this.chunks) {
      if (offset < chunk.length) return chunk[offset] as number;
      offset -= chunk.length;
    }
    throw new RangeError('offset beyond the queued bytes');
  }

  int32At(offset: number): number {
    return (this.byteAt(offset) << 24) | (this.byteAt(offset + 1) << 16) | (this.byteAt(offset + 2) << 8) | this.byteAt(offset + 3) | 0;
  }

  /** Removes and returns the first `n` bytes. */
  take(n: number): Buffer {
    if (n > this.size) throw new RangeError('taking more than is queued');
    const first = this.chunks[0];
    let out: Buffer;
    if (first && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0] as Buffer;
        const used = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, used);
        filled += used;
        if (used === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(used);
      }
    }
    this.size -= n;
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}

export type UntypedMessage = { readonly kind: 'ssl' | 'gssenc' | 'cancel'; readonly bytes: Buffer } | { readonly kind: 'startup'; readonly bytes: Buffer };

/** Takes one message of the start-up phase (no type byte), if it is complete. Throws on a bad length. */
export function takeUntypedMessage(queue: ByteQueue): UntypedMessage | undefined {
  if (queue.length < 8) return undefined;
  const length = queue.int32At(0);
  if (length < 8 || length > 10_000) throw new ProtocolViolation(`invalid start-up packet length ${length}`);
  if (queue.length < length) return undefined;
  const code = queue.int32At(4);
  const bytes = queue.take(length);
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl', bytes };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc', bytes };
  if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel', bytes };
  return { kind: 'startup', bytes };
}

/** Takes one typed message (type byte, Int32 length counting itself, body), if it is complete. */
export function takeTypedMessage(queue: ByteQueue): Buffer | undefined {
  if (queue.length < 5) return undefined;
  const length = queue.int32At(1);
  if (length < 4) throw new ProtocolViolation(`invalid message length ${length}`);
  if (queue.length < 1 + length) return undefined;
  return queue.take(1 + length);
}

export class ProtocolViolation extends Error {
  override readonly name = 'ProtocolViolation';
}

/**
 * Follows the backend's reply stream, chunk by chunk, to know where a connection stands: after a
 * ReadyForQuery the backend waits for a new cycle, and the status byte says whether a transaction
 * block is open ('T'), failed ('E') or not ('I'). Anything else since (other than asynchronous
 * notices) means a cycle is in progress. This is how a transaction-pooling proxy decides when a
 * server connection may be handed to another client.
 */
export class ReadyForQueryTracker {
  private readonly header = Buffer.alloc(5);
  private headerFill = 0;
  private bodyLeft = 0;
  private firstBodyByte = -1;
  private current: 'I' | 'T' | 'E' | undefined;

  /** The transaction status of the last ReadyForQuery if the backend waits for a new cycle; else undefined. */
  get status(): 'I' | 'T' | 'E' | undefined {
    return this.current;
  }

  /** Idle between cycles and outside a transaction block: the session may serve another client. */
  get idle(): boolean {
    return this.current === 'I';
  }

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.headerFill < 5) {
        const n = Math.min(5 - this.headerFill, chunk.length - i);
        this.header.set(chunk.subarray(i, i + n), this.headerFill);
        this.headerFill += n;
        i += n;
        if (this.headerFill < 5) return;
        this.bodyLeft = Math.max(0, this.header.readInt32BE(1) - 4);
        this.firstBodyByte = -1;
      } else {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        if (this.firstBodyByte < 0) this.firstBodyByte = chunk[i] as number;
        this.bodyLeft -= n;
        i += n;
      }
      if (this.bodyLeft === 0) this.completeMessage();
    }
  }

  private completeMessage(): void {
    const type = this.header[0] as number;
    this.headerFill = 0;
    if (type === READY_FOR_QUERY) {
      const status = String.fromCharCode(this.firstBodyByte);
      this.current = status === 'T' || status === 'E' ? status : 'I';
    } else if (!ASYNCHRONOUS_BACKEND.has(type)) {
      this.current = undefined;
    }
  }
}

/**
 * Gives each connection's named prepared statements names of their own in the one shared session:
 * rewrites the statement name of Parse, Bind, Describe('S') and Close('S'). Unnamed statements and
 * portals pass unchanged (they never outlive a cycle that other connections could interleave with;
 * named portals end with their transaction). Returns the message unchanged when it names none.
 */
export class StatementNamespace {
  private readonly prefix: string;
  /** Server-side names this connection may have created, to close when it goes. */
  private readonly names = new Set<string>();

  constructor(connectionId: number) {
    this.prefix = `c${connectionId}:`;
  }

  /** The server-side names of statements this connection parsed and has not closed. */
  get serverNames(): readonly string[] {
    return [...this.names];
  }

  rewrite(message: Buffer): Buffer {
    const type = message[0];
    if (type === FRONTEND.parse) return this.rewriteNameAt(message, 5, 'created');
    if (type === FRONTEND.bind) {
      const portalEnd = message.indexOf(0, 5);
      return portalEnd < 0 ? message : this.rewriteNameAt(message, portalEnd + 1, 'used');
    }
    if ((type === FRONTEND.describe || type === FRONTEND.close) && message[5] === STATEMENT) {
      return this.rewriteNameAt(message, 6, type === FRONTEND.close ? 'closed' : 'used');
    }
    return message;
  }

  /** Server-side name for a client's statement name (bytes as sent, in the client encoding). */
  serverName(clientName: Buffer): string {
    const plain = this.prefix + clientName.toString('latin1');
    if (plain.length <= MAX_NAME_BYTES) return plain;
    // Too long to stay unique once PostgreSQL truncates it: a digest of the name instead.
    return `${this.prefix}#${createHash('sha256').update(clientName).digest('hex').slice(0, 40)}`;
  }

  private rewriteNameAt(message: Buffer, start: number, use: 'created' | 'used' | 'closed'): Buffer {
    const end = message.indexOf(0, start);
    if (end <= start) return message; // unnamed, or malformed: let the backend judge it
    const name = this.serverName(message.subarray(start, end));
    if (use === 'created') this.names.add(name);
    else if (use === 'closed') this.names.delete(name);
    const nameBytes = Buffer.from(name, 'latin1');
    const out = Buffer.allocUnsafe(message.length - (end - start) + nameBytes.length);
    out[0] = message[0] as number;
    message.copy(out, 5, 5, start);
    nameBytes.copy(out, start);
    message.copy(out, start + nameBytes.length, end);
    out.writeInt32BE(out.length - 1, 1);
    return out;
  }
}

function typed(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

function cstring(value: string, encoding: BufferEncoding = 'utf8'): Buffer {
  return Buffer.concat([Buffer.from(value, encoding), Buffer.from([0])]);
}

export function syncMessage(): Buffer {
  return typed(FRONTEND.sync, Buffer.alloc(0));
}

export function queryMessage(sql: string): Buffer {
  return typed(FRONTEND.query, cstring(sql));
}

export function copyFailMessage(reason: string): Buffer {
  return typed(FRONTEND.copyFail, cstring(reason));
}

/** Close of a prepared statement, by its server-side name (as StatementNamespace made it). */
export function closeStatementMessage(serverName: string): Buffer {
  return typed(FRONTEND.close, Buffer.concat([Buffer.from([STATEMENT]), cstring(serverName, 'latin1')]));
}

/** A backend ErrorResponse, for what the server itself refuses (too many clients, protocol errors). */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Buffer {
  return typed(
    0x45, // 'E'
    Buffer.concat([
      Buffer.from('S'),
      cstring(severity),
      Buffer.from('V'),
      cstring(severity),
      Buffer.from('C'),
      cstring(code),
      Buffer.from('M'),
      cstring(message),
      Buffer.from([0]),
    ]),
  );
}
