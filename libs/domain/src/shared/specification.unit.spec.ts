import type { Decider } from './decider';
import { accept, reject } from './decision';
import { specification } from './specification.spec';

type Counted = { type: 'Counted'; data: { by: number } };
type Count = { type: 'Count'; data: { by: number; limit: number } };
type Full = { code: 'full'; at: number };

const counter: Decider<Count, Counted, number, Full> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: ({ data: { by, limit } }, total) =>
    by === 0
      ? accept()
      : total + by > limit
        ? reject({ code: 'full', at: total })
        : accept({ type: 'Counted', data: { by } }),
};
const spec = specification(counter);
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });
const count = (by: number, limit = 10): Count => ({ type: 'Count', data: { by, limit } });

describe('the given/when/then specification', () => {
  it('passes when the decider emits exactly the expected events, from the folded state', () => {
    spec
      .given([counted(4), counted(5)])
      .when(count(1))
      .then([counted(1)]);
    spec
      .given([counted(4), counted(5)])
      .when(count(2))
      .thenRejects({ code: 'full', at: 9 });
    spec.given([]).when(count(0)).thenNothing();
  });

  it('fails when the events differ, are missing or the command was refused', () => {
    expect(() =>
      spec
        .given([])
        .when(count(1))
        .then([counted(2)]),
    ).toThrow();
    expect(() => spec.given([]).when(count(1)).then([])).toThrow();
    expect(() =>
      spec
        .given([counted(10)])
        .when(count(1))
        .then([counted(1)]),
    ).toThrow();
  });

  it('fails a rejection check when the command was accepted or refused differently', () => {
    expect(() => spec.given([]).when(count(1)).thenRejects('full')).toThrow();
    expect(() =>
      spec
        .given([counted(10)])
        .when(count(1))
        .thenRejects({ at: 3 }),
    ).toThrow();
  });

  it('fails a nothing check when events were emitted or the command was refused', () => {
    expect(() => spec.given([]).when(count(1)).thenNothing()).toThrow();
    expect(() =>
      spec
        .given([counted(10)])
        .when(count(1))
        .thenNothing(),
    ).toThrow();
  });
});
