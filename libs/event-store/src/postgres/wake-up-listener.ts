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
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** An append committed that no NOTIFY sent so far has announced. */
  private notifyPending = false;
  private notifying = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotifyAt = -Infinity;
  /** No NOTIFY before this time: an append not yet committed was announced. */
  private notBefore = -Infinity;

  /**
   * @param notifyIntervalMs the least time between two NOTIFYs of this process: the first append
   *   after a quiet spell is announced at once, the appends that follow within the interval by one
   *   NOTIFY at its end.
   */
  constructor(
    private readonly connect: () => Client,
    private readonly channel: string,
    private readonly notifyIntervalMs = 10,
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
    clearTimeout(this.notifyTimer);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const client = this.connect();
    // Our own NOTIFYs come back to us too; this process's subscribers were woken before they were sent.
    client.on('notification', (message) => {
      if (message.processId !== (client as Client & { processID?: number }).processID) this.wakeAll();
    });
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
   * Called after an append has committed: wakes this process's subscribers at once, and readers
   * in other processes by a NOTIFY on the channel. The NOTIFY goes out after the commit, on the
   * listening connection (not one the appends need), and never inside an append's transaction: a
   * transaction that notifies takes a cluster-wide lock until its commit is durable, which would
   * serialise every appending commit. At most one NOTIFY per `notifyIntervalMs`: the first append
   * after a quiet spell at once, later ones by one NOTIFY at the end of the interval. A lost
   * NOTIFY costs a reader one poll interval, nothing more. An append whose transaction the caller
   * commits later (`committed` false) is announced to other processes one interval later.
   */
  announce(committed = true): void {
    this.wakeAll();
    this.notifyPending = true;
    if (!committed) this.notBefore = Math.max(this.notBefore, performance.now() + this.notifyIntervalMs);
    this.flushNotify();
  }

  private flushNotify(): void {
    if (!this.notifyPending || this.notifying || this.notifyTimer || this.stopped) return;
    const wait = Math.max(this.lastNotifyAt + this.notifyIntervalMs, this.notBefore) - performance.now();
    if (wait > 0) {
      this.notifyTimer = setTimeout(() => {
        this.notifyTimer = undefined;
        this.flushNotify();
      }, wait);
      this.notifyTimer.unref();
      return;
    }
    // Appends that commit while this NOTIFY is on its way set the flag again and get the next one.
    this.notifyPending = false;
    this.notifying = true;
    this.lastNotifyAt = performance.now();
    void this.notify()
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        this.flushNotify();
      });
  }

  private async notify(): Promise<void> {
    await this.start();
    await this.client?.query(`NOTIFY ${this.channel}`);
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
