import { DuplicateFilter } from './duplicate-filter';

describe('DuplicateFilter', () => {
  const sut = () => new DuplicateFilter(60_000);
  const message = (text: string) => Buffer.from(text);

  it('lets a message through once per partition', () => {
    const filter = sut();
    expect(filter.firstSighting(0, message('a'), 1000)).toBe(true);
    expect(filter.firstSighting(0, message('a'), 1000)).toBe(false);
    expect(filter.firstSighting(1, message('a'), 1000)).toBe(true);
    expect(filter.firstSighting(0, message('b'), 1000)).toBe(true);
  });

  it('forgets messages older than its horizon, and keeps newer ones', () => {
    const filter = sut();
    filter.firstSighting(0, message('old'), 1000);
    filter.firstSighting(0, message('new'), 50_000);
    filter.expire(0, 100_000);
    expect(filter.size).toBe(1);
    expect(filter.firstSighting(0, message('new'), 50_000)).toBe(false);
  });
});
