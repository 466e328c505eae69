import { EndOffsetHistory } from './end-offset-history';

const SECOND = 1000;

/** A history fed with (seconds, log-end offset) points, one collection each. */
function createSut(points: Array<[number, number]>, capacity = 30) {
  const sut = new EndOffsetHistory(capacity);
  for (const [t, end] of points) {
    sut.beginCollection();
    sut.record('p', 0, end, t * SECOND);
    sut.endCollection();
  }
  return sut;
}

describe('EndOffsetHistory.lagSeconds', () => {
  it('is 0 for a caught-up consumer, and for a commit ahead of the log-end offset', () => {
    const sut = createSut([[0, 100], [10, 200]]);
    expect(sut.lagSeconds('p', 0, 200, 10 * SECOND)).toBe(0);
    expect(sut.lagSeconds('p', 0, 250, 10 * SECOND)).toBe(0);
  });

  it('interpolates when the oldest unconsumed message was written between two collections', () => {
    const sut = createSut([[0, 100], [10, 200], [20, 300]]);
    // Message 150 was written when the log end went 150 → 151: at 5.1 s; now is 20 s.
    expect(sut.lagSeconds('p', 0, 150, 20 * SECOND)).toBeCloseTo(14.9);
    // Message 250: at 15.1 s.
    expect(sut.lagSeconds('p', 0, 250, 20 * SECOND)).toBeCloseTo(4.9);
  });

  it('dates a message that arrived on a quiet partition to when it arrived, not to when the partition went quiet', () => {
    const sut = createSut([[0, 100], [600, 100], [610, 101]]);
    expect(sut.lagSeconds('p', 0, 100, 610 * SECOND)).toBe(0);
    expect(sut.lagSeconds('p', 0, 100, 615 * SECOND)).toBe(5);
  });

  it('extrapolates at the partition rate beyond the remembered collections', () => {
    const sut = createSut([[0, 0], [10, 100], [20, 200], [30, 300]], 3); // forgets t=0; 10 messages/s
    // Message 49 was written when the log end reached 50: 5 s, i.e. 5 s before the oldest point kept.
    expect(sut.lagSeconds('p', 0, 49, 30 * SECOND)).toBeCloseTo(25);
  });

  it('gives the history span, a lower bound, when a lagging partition did not move while remembered', () => {
    const sut = createSut([[0, 500], [10, 500], [20, 500]]);
    expect(sut.lagSeconds('p', 0, 400, 20 * SECOND)).toBe(20);
  });

  it('does not guess before two collections', () => {
    const sut = createSut([[0, 500]]);
    expect(sut.lagSeconds('p', 0, 400, 0)).toBeUndefined();
    expect(sut.lagSeconds('p', 1, 400, 0)).toBeUndefined();
  });

  it('starts over when the log-end offset goes backwards (topic re-created)', () => {
    const sut = createSut([[0, 1000], [10, 2000], [20, 5], [30, 15]]);
    expect(sut.lagSeconds('p', 0, 10, 30 * SECOND)).toBeCloseTo(4); // message 10 at 26 s, from the new log only
  });

  it('forgets partitions no longer recorded', () => {
    const sut = createSut([[0, 1]]);
    sut.beginCollection();
    sut.record('q', 0, 1, 10 * SECOND);
    sut.endCollection();
    expect(sut.size).toBe(1);
    expect(sut.lagSeconds('p', 0, 0, 10 * SECOND)).toBeUndefined();
  });
});
