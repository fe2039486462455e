import { DataKeyCache } from './key-cache';

describe('DataKeyCache', () => {
  it('forgets the least recently used key beyond its bound', () => {
    const cache = new DataKeyCache(2, 60_000, () => 0);
    cache.set('a', Buffer.alloc(32, 1));
    cache.set('b', Buffer.alloc(32, 2));
    expect(cache.get('a')?.[0]).toBe(1); // a is now the most recent
    cache.set('c', Buffer.alloc(32, 3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.[0]).toBe(1);
    expect(cache.get('c')?.[0]).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets keys older than the TTL', () => {
    let now = 1_000;
    const cache = new DataKeyCache(10, 500, () => now);
    cache.set('a', Buffer.alloc(32, 1));
    now = 1_499;
    expect(cache.get('a')).toBeDefined();
    now = 1_500;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts on demand and hands out copies that eviction does not zero', () => {
    const cache = new DataKeyCache(10, 60_000, () => 0);
    cache.set('a', Buffer.alloc(32, 7));
    const held = cache.get('a') as Buffer;
    cache.evict('a');
    expect(cache.get('a')).toBeUndefined();
    expect(held[0]).toBe(7);
  });
});
