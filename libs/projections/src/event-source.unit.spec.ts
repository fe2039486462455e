import { batches } from './event-source';

/** Yields `pages` of items; each page becomes available only after a real I/O-like pause. */
async function* paged(pages: number[][], pauseMs = 5): AsyncGenerator<number> {
  for (const page of pages) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    for (const item of page) yield item;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe('batches', () => {
  it('closes a batch when the next item needs I/O', async () => {
    const result = await collect(batches(paged([[1, 2, 3], [4], [5, 6]]), 100));
    expect(result).toEqual([[1, 2, 3], [4], [5, 6]]);
  });

  it('never exceeds the maximum', async () => {
    const result = await collect(batches(paged([[1, 2, 3, 4, 5, 6, 7]]), 3));
    expect(result).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('asks for the next item before handing a batch out, so the producer fetches meanwhile', async () => {
    const asked: number[] = [];
    let served = 0;
    const iterator: AsyncIterator<number> = {
      next: async () => {
        asked.push(served);
        return served < 4 ? { done: false, value: served++ } : { done: true, value: undefined };
      },
    };
    const it = batches(iterator, 2);
    const first = await it.next();
    expect(first.value).toEqual([0, 1]);
    expect(asked).toEqual([0, 1, 2]); // item 2 is already on its way
    await it.return(undefined);
  });

  it('ends with the source and passes its error on', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('store down');
    }
    const it = batches(failing(), 10);
    expect((await it.next()).value).toEqual([1]);
    await expect(it.next()).rejects.toThrow('store down');
  });

  it('refuses a batch size below 1', async () => {
    await expect(collect(batches(paged([[1]]), 0))).rejects.toThrow(/positive integer/);
  });
});
