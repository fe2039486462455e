import { ClientProxy, NatsContext, NatsRecord, Server, type CustomTransportStrategy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { RpcHeaders, RpcReply } from './message-context';

const NO_MESSAGE_HANDLER = 'There is no matching message handler defined in the remote service.';

type Respond = (packet: WritePacket) => void;

/**
 * Where in-process servers register their patterns and clients find them: what the NATS server
 * is to the NATS transport. One per process (or per test).
 */
export class InProcessRpcBroker {
  private readonly routes = new Map<string, InProcessRpcServer[]>();
  private nextIndex = 0;

  /** @internal */
  register(pattern: string, server: InProcessRpcServer): void {
    const servers = this.routes.get(pattern) ?? [];
    if (!servers.includes(server)) servers.push(server);
    this.routes.set(pattern, servers);
  }

  /** @internal */
  unregister(server: InProcessRpcServer): void {
    for (const [pattern, servers] of this.routes) {
      const left = servers.filter((s) => s !== server);
      if (left.length === 0) this.routes.delete(pattern);
      else this.routes.set(pattern, left);
    }
  }

  /** @internal One of the servers listening on `pattern`, in turn (a queue group). */
  route(pattern: string): InProcessRpcServer | undefined {
    const servers = this.routes.get(pattern);
    if (!servers || servers.length === 0) return undefined;
    return servers[this.nextIndex++ % servers.length];
  }
}

/**
 * A Nest transport strategy for `@MessagePattern` handlers in the same process. Handlers see a
 * NatsContext with the caller's headers, exactly as over NATS, so the same controller runs on both.
 */
export class InProcessRpcServer extends Server implements CustomTransportStrategy {
  constructor(private readonly broker: InProcessRpcBroker) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    for (const pattern of this.messageHandlers.keys()) this.broker.register(pattern, this);
    callback();
  }

  close(): void {
    this.broker.unregister(this);
  }

  on(): void {
    // No connection, so no connection events.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  /** @internal */
  dispatch(pattern: string, packet: { id?: string; data: unknown }, headers: MsgHdrs, respond: Respond): void {
    const context = new NatsContext([pattern, headers]);
    const handler = this.getHandlerByPattern(pattern);
    if (packet.id === undefined) {
      void this.handleEvent(pattern, { pattern, data: packet.data }, context);
      return;
    }
    if (!handler) return respond({ err: NO_MESSAGE_HANDLER, isDisposed: true });
    this.handleRequest(context, async () => this.transformToObservable(await handler(packet.data, context)), respond);
  }
}

/**
 * A Nest ClientProxy that calls an InProcessRpcServer. Payloads and answers are copied through
 * JSON, as over the wire, so neither side can share or mutate the other's objects.
 */
export class InProcessRpcClient extends ClientProxy {
  constructor(private readonly broker: InProcessRpcBroker) {
    super();
  }

  async connect(): Promise<void> {
    // Nothing to connect to.
  }

  async close(): Promise<void> {
    // Nothing to close.
  }

  override on(): void {
    // No connection, so no connection events.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  protected publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const packet = this.assignPacketId(partialPacket);
    const pattern = this.normalizePattern(packet.pattern);
    const { data, headers } = unwrapRecord(packet.data);
    let cancelled = false;
    setImmediate(() => {
      const server = this.broker.route(pattern);
      if (!server) {
        callback({ err: new Error(`Empty response. There are no subscribers listening to that message ("${pattern}")`), isDisposed: true });
        return;
      }
      server.dispatch(pattern, { id: packet.id, data: wireCopy(data) }, headers, (answer) => {
        if (!cancelled) callback(toClientPacket(answer));
      });
    });
    return () => {
      cancelled = true;
    };
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern);
    const { data, headers } = unwrapRecord(packet.data);
    this.broker.route(pattern)?.dispatch(pattern, { data: wireCopy(data) }, headers, () => undefined);
    return undefined as T;
  }
}

function unwrapRecord(data: unknown): { data: unknown; headers: MsgHdrs } {
  if (data instanceof NatsRecord) return { data: data.data, headers: (data.headers as MsgHdrs | undefined) ?? natsHeaders() };
  return { data, headers: natsHeaders() };
}

/** What the caller would get over NATS with natsClientOptions: copied values, reply headers as RpcReply. */
function toClientPacket(answer: WritePacket): WritePacket {
  const out: WritePacket = { ...answer };
  if (answer.err !== undefined) out.err = answer.err instanceof Error ? answer.err : wireCopy(answer.err);
  if (answer.response instanceof NatsRecord) {
    const correlationId = (answer.response.headers as MsgHdrs | undefined)?.get(RpcHeaders.CorrelationId);
    const value = wireCopy(answer.response.data);
    out.response = correlationId ? new RpcReply(value, correlationId) : value;
  } else if (answer.response !== undefined) {
    out.response = wireCopy(answer.response);
  }
  return out;
}

function wireCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
