import { alignSeries, plottedPoints, SeriesPoints } from './chart-data';

describe('SeriesPoints', () => {
  it('rounds to the resolution, replaces a point in the same slot, keeps time order for late points', () => {
    const sut = new SeriesPoints();
    sut.add(10_400, 1, 1000);
    sut.add(10_900, 2, 1000); // same slot 10 000: replaces
    sut.add(12_100, 3, 1000);
    sut.add(11_500, 4, 1000); // late: goes between
    expect(sut.ts).toEqual([10_000, 11_000, 12_000]);
    expect(sut.values).toEqual([2, 4, 3]);
  });

  it('trims points older than the window start', () => {
    const sut = new SeriesPoints();
    for (let t = 0; t < 10; t++) sut.add(t * 1000, t, 1000);
    sut.trim(7000);
    expect(sut.ts).toEqual([7000, 8000, 9000]);
    expect(sut.values).toEqual([7, 8, 9]);
  });
});

describe('alignSeries', () => {
  it('puts every series on the union of timestamps (seconds), null where a series has no point', () => {
    const a = new SeriesPoints();
    const b = new SeriesPoints();
    a.add(1000, 1, 1000);
    a.add(3000, 3, 1000);
    b.add(2000, 20, 1000);
    b.add(3000, 30, 1000);
    const data = alignSeries([a, b]);
    expect(data).toEqual([
      [1, 2, 3],
      [1, null, 3],
      [null, 20, 30],
    ]);
    expect(plottedPoints(data)).toBe(4);
  });

  it('has only an empty x axis without series', () => {
    expect(alignSeries([])).toEqual([[]]);
    expect(plottedPoints(alignSeries([]))).toBe(0);
  });
});
