import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { PrincipalThrottlerGuard } from './principal-throttler.guard';

describe('PrincipalThrottlerGuard', () => {
  it('leaves NATS message handlers alone: callers would otherwise share one bucket', async () => {
    const storage = new ThrottlerStorageService();
    const increment = jest.spyOn(storage, 'increment');
    const guard = new PrincipalThrottlerGuard([{ ttl: 60_000, limit: 1 }], storage, new Reflector());
    const rpc = { getType: () => 'rpc' } as unknown as ExecutionContext;
    for (let i = 0; i < 5; i++) await expect(guard.canActivate(rpc)).resolves.toBe(true);
    expect(increment).not.toHaveBeenCalled();
    storage.onApplicationShutdown();
  });
});
