import { messagingReadiness, type RpcServerStatus } from './messaging-readiness';

describe('messagingReadiness: can this replica do its messaging work?', () => {
  let clock = 0;
  let natsUp = true;
  let consumers: Array<{ durable: string; live: boolean }> = [];
  let rpc: RpcServerStatus = 'connected';
  const readiness = () => {
    const indicator = messagingReadiness(async () => natsUp, { graceMs: 15_000, now: () => clock });
    indicator.attach({ consumers: () => consumers, rpc: () => rpc });
    return indicator;
  };

  beforeEach(() => {
    clock = 0;
    natsUp = true;
    consumers = [{ durable: 'referrals-rehab-completed', live: true }];
    rpc = 'connected';
  });

  it('is up when every consumer has a session and the request/reply server is connected', async () => {
    expect(await readiness().isUp()).toBe(true);
  });

  it('fails once a consumer has had no session for the grace period while NATS is up, and recovers when it has one', async () => {
    const indicator = readiness();
    consumers = [{ durable: 'referrals-rehab-completed', live: false }];
    expect(await indicator.isUp()).toBe(true); // a reopen takes a second: not a fault yet
    clock = 14_999;
    expect(await indicator.isUp()).toBe(true);
    clock = 15_000;
    expect(await indicator.isUp()).toBe(false);
    expect(indicator.faults()).toEqual(['consumer referrals-rehab-completed']);
    consumers = [{ durable: 'referrals-rehab-completed', live: true }];
    expect(await indicator.isUp()).toBe(true);
  });

  it('fails when the request/reply server stays disconnected while NATS answers (the calls of other services go unanswered)', async () => {
    const indicator = readiness();
    rpc = 'reconnecting';
    await indicator.isUp();
    clock = 20_000;
    expect(await indicator.isUp()).toBe(false);
    expect(indicator.faults()).toEqual(['request/reply server']);
  });

  it('does not fail while NATS itself is down: commands still work (ADR 0001) and nothing could be live', async () => {
    const indicator = readiness();
    natsUp = false;
    consumers = [{ durable: 'referrals-rehab-completed', live: false }];
    rpc = 'disconnected';
    await indicator.isUp();
    clock = 60_000;
    expect(await indicator.isUp()).toBe(true);
    natsUp = true; // NATS is back but this replica did not reconnect: now it is its fault
    expect(await indicator.isUp()).toBe(false);
  });

  it('restarts the grace period after a fault clears', async () => {
    const indicator = readiness();
    consumers = [{ durable: 'd', live: false }];
    await indicator.isUp();
    clock = 10_000;
    consumers = [{ durable: 'd', live: true }];
    await indicator.isUp();
    consumers = [{ durable: 'd', live: false }];
    clock = 20_000;
    expect(await indicator.isUp()).toBe(true);
    clock = 35_000;
    expect(await indicator.isUp()).toBe(false);
  });
});
