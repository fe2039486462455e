import { decideAll, domainErrors, fold, isDomainError, type Decider } from './index';

type Event = { type: 'Added'; data: { n: number } };
type Command = { type: 'Add'; data: { n: number } };
const error = domainErrors({ 'too-big': 'the total cannot pass 10' });
const counter: Decider<Command, Event, number> = {
  initialState: () => 0,
  decide: (command, state) => (state + command.data.n > 10 ? error('too-big') : [{ type: 'Added', data: { n: command.data.n } }]),
  evolve: (state, event) => state + event.data.n,
};

describe('decider', () => {
  it('folds events from the initial state or a given one', () => {
    expect(
      fold(counter, [
        { type: 'Added', data: { n: 2 } },
        { type: 'Added', data: { n: 3 } },
      ]),
    ).toBe(5);
    expect(fold(counter, [{ type: 'Added', data: { n: 2 } }], 7)).toBe(9);
  });

  it('decides commands in a row, each on the state the earlier ones left', () => {
    const events = decideAll(
      counter,
      [
        { type: 'Add', data: { n: 6 } },
        { type: 'Add', data: { n: 4 } },
      ],
      0,
      new Date(),
    );
    expect(events).toEqual([
      { type: 'Added', data: { n: 6 } },
      { type: 'Added', data: { n: 4 } },
    ]);
    // The second command sees the first one's event: 6 + 5 passes 10.
    const refused = decideAll(
      counter,
      [
        { type: 'Add', data: { n: 6 } },
        { type: 'Add', data: { n: 5 } },
      ],
      0,
      new Date(),
    );
    expect(isDomainError(refused) && refused.code).toBe('too-big');
  });

  it('names errors from one table, with an optional detail', () => {
    expect(error('too-big', 'got 12')).toEqual({ kind: 'DomainError', code: 'too-big', message: 'the total cannot pass 10 (got 12)' });
    expect(isDomainError('too-big')).toBe(false);
  });
});
