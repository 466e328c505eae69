import { counterIncrease, WindowAggregate } from './window-aggregate';

describe('WindowAggregate', () => {
  const gauge = () => new WindowAggregate(false);
  const counter = () => new WindowAggregate(true);

  it('summarises a gauge: count, min, max, sum, avg, first and last by time', () => {
    const sut = gauge();
    // Arrival order differs from time order on purpose.
    for (const [ts, v] of [[2000, 5], [1000, 3], [4000, -1], [3000, 9]] as const) sut.add(ts, v);
    expect(sut.summary()).toEqual({ count: 4, min: -1, max: 9, sum: 16, avg: 4, first: 3, last: -1, delta: null, rate: null });
  });

  it('gives a counter its increase and per-second rate', () => {
    const sut = counter();
    for (const [ts, v] of [[0, 100], [5000, 130], [10000, 160]] as const) sut.add(ts, v);
    expect(sut.summary()).toMatchObject({ delta: 60, rate: 6 });
  });

  it('counts a counter reset as a restart from zero', () => {
    // 100 → 150 (+50), reset, 0 → 20 (+20), 20 → 35 (+15)
    expect(counterIncrease([[0, 100], [1, 150], [2, 20], [3, 35]])).toBe(85);
  });

  it('orders counter points by time before computing the increase', () => {
    const sut = counter();
    for (const [ts, v] of [[2000, 30], [0, 10], [1000, 20]] as const) sut.add(ts, v);
    expect(sut.summary()).toMatchObject({ delta: 20, rate: 10 });
  });

  it('leaves delta and rate null for a counter with one sample', () => {
    const sut = counter();
    sut.add(0, 5);
    expect(sut.summary()).toMatchObject({ count: 1, delta: null, rate: null });
  });
});
