import { LogThrottle } from './log-throttle';

describe('LogThrottle', () => {
  it('admits the first occurrence, then one per interval with the count of those suppressed', () => {
    let now = 0;
    const sut = new LogThrottle(1000, () => now);
    expect(sut.admit('kafka down')).toEqual({ suppressed: 0 });
    now = 100;
    expect(sut.admit('kafka down')).toBeUndefined();
    now = 500;
    expect(sut.admit('kafka down')).toBeUndefined();
    now = 1000;
    expect(sut.admit('kafka down')).toEqual({ suppressed: 2 });
  });

  it('keeps keys apart and forgets a cleared one', () => {
    const sut = new LogThrottle(1000, () => 0);
    expect(sut.admit('a')).toBeDefined();
    expect(sut.admit('b')).toBeDefined();
    expect(sut.admit('a')).toBeUndefined();
    sut.clear('a');
    expect(sut.admit('a')).toEqual({ suppressed: 0 });
  });
});
