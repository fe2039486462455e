import {
  NatsRecord,
  NatsRecordBuilder,
  NatsResponseJSONDeserializer,
  Transport,
  type ClientOptions,
  type IncomingResponse,
  type NatsOptions,
} from '@nestjs/microservices';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { RpcHeaders, RpcReply } from './message-context';

type NatsTransportOptions = NonNullable<NatsOptions['options']>;

/**
 * Reconnect for ever, a second apart. The client's default (10 tries, 2 s apart) gives up after
 * about 20 s, and Nest's NATS server then never answers again while HTTP goes on saying ready.
 * Subscriptions are restored by the client on every reconnect.
 */
export const NATS_RECONNECT_FOREVER = { reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 } as const;

/**
 * Serializes a service's replies. Nest's own NATS serializer sends a NatsRecord returned by a
 * handler as JSON, headers and all; this one sends its data and puts its headers on the reply
 * (`correlatedReply`), and otherwise does what Nest's does.
 */
export class NatsReplySerializer {
  serialize(packet: { response?: unknown; data?: unknown; headers?: unknown } & Record<string, unknown>): { data: string; headers: unknown } {
    if (packet.response instanceof NatsRecord) {
      return { data: JSON.stringify({ ...packet, response: packet.response.data }), headers: packet.response.headers };
    }
    const record = packet.data instanceof NatsRecord ? packet.data : new NatsRecordBuilder(packet.data).setHeaders(packet.headers).build();
    return { data: JSON.stringify({ ...packet, data: record.data }), headers: record.headers };
  }
}

/** Hands a reply that carried a correlation id over as an RpcReply, which ServiceClient unwraps. */
export class NatsReplyDeserializer extends NatsResponseJSONDeserializer {
  override deserialize(value: Msg, options?: Record<string, unknown>): IncomingResponse | Promise<IncomingResponse> {
    const packet = super.deserialize(value, options);
    return packet instanceof Promise ? packet.then((p) => withReplyHeaders(value, p)) : withReplyHeaders(value, packet);
  }
}

function withReplyHeaders(value: Msg, packet: IncomingResponse): IncomingResponse {
  const correlationId = (value.headers as MsgHdrs | undefined)?.get(RpcHeaders.CorrelationId);
  if (!correlationId || packet.err !== undefined || packet.response === undefined) return packet;
  return { ...packet, response: new RpcReply(packet.response, correlationId) };
}

/**
 * Microservice options for a service answering over NATS: replies carry the correlation id back,
 * and replicas share the load as one queue group (default: the service name).
 */
export function natsServerOptions(
  options: { servers: string | string[]; service: string; queue?: string } & Omit<NatsTransportOptions, 'servers' | 'queue'>,
): NatsOptions {
  const { service, queue, ...rest } = options;
  return {
    transport: Transport.NATS,
    options: { serializer: new NatsReplySerializer(), queue: queue ?? service, name: service, ...NATS_RECONNECT_FOREVER, ...rest },
  };
}

/** Client options for calling services over NATS (with `ClientProxyFactory.create` or `ClientsModule`). */
export function natsClientOptions(options: { servers: string | string[] } & Omit<NatsTransportOptions, 'servers'>): ClientOptions {
  return {
    transport: Transport.NATS,
    options: { deserializer: new NatsReplyDeserializer(), ...NATS_RECONNECT_FOREVER, ...options },
  } as ClientOptions;
}
