import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('treats a throwing predicate as not yet and reports its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still 2 rows');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'projection caught up' },
      ),
    ).rejects.toThrow('waitFor: projection caught up not met within 30 ms: still 2 rows');
  });
});
