import type { Client } from 'pg';

export interface WakeUp {
  readonly promise: Promise<void>;
  cancel(): void;
}

/**
 * One LISTEN connection per store, shared by its subscriptions. A notification only says "look
 * again": readers still read below the oldest open transaction, and poll when no notification
 * comes (PGlite delivers notifications only to the connection that sent them; a connection can
 * drop). On error the listener reconnects with back-off.
 */
export class WakeUpListener {
  private client: Client | undefined;
  private starting: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private stopped = false;
  private notifying = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly connect: () => Client,
    private readonly channel: string,
  ) {}

  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  /**
   * Registers for the next notification. Taken before a read, so a notification that arrives
   * during the read is not missed; cancel it when a timer wins instead.
   */
  nextWakeUp(): WakeUp {
    let waiter!: () => void;
    const promise = new Promise<void>((resolve) => {
      waiter = resolve;
    });
    this.waiters.push(waiter);
    return {
      promise,
      cancel: () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const client = this.connect();
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.scheduleReconnect(client));
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.failures = 0;
      this.wakeAll(); // anything appended while we were not listening
    } catch (error) {
      this.scheduleReconnect(client);
      throw error;
    }
  }

  private scheduleReconnect(client: Client): void {
    if (this.stopped || this.reconnectTimer) return;
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
    const delay = Math.min(5000, 100 * 2 ** this.failures++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.starting = this.open().catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * NOTIFYs the channel from the listening connection (opening it if needed), so that readers in
   * other processes look again. Their own subscribers are woken too, harmlessly.
   */
  async notifyOthers(): Promise<void> {
    if (this.notifying) return; // one in flight is enough: it wakes everyone after the appends so far
    this.notifying = true;
    try {
      await this.start();
      await this.client?.query(`NOTIFY ${this.channel}`);
    } finally {
      this.notifying = false;
    }
  }

  /** Wakes this process's subscribers at once, without a round trip through PostgreSQL. */
  wakeLocal(): void {
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
