import { AlignedSeries } from './chart-data';

describe('AlignedSeries', () => {
  it('rounds to the resolution, replaces a value in the same slot, keeps time order for late points', () => {
    const sut = new AlignedSeries();
    const a = sut.addLine();
    sut.add(a, 10_400, 1, 1000);
    sut.add(a, 10_900, 2, 1000); // same slot 10 000: replaces
    sut.add(a, 12_100, 3, 1000);
    sut.add(a, 11_500, 4, 1000); // late: goes between
    expect(sut.xs).toEqual([10_000, 11_000, 12_000]);
    expect(sut.seconds).toEqual([10, 11, 12]);
    expect(sut.columns[a]).toEqual([2, 4, 3]);
    expect(sut.points).toBe(3);
  });

  it('puts every line on the union of slots, null where a line has no point, also for a line added later', () => {
    const sut = new AlignedSeries();
    const a = sut.addLine();
    sut.add(a, 1000, 1, 1000);
    sut.add(a, 3000, 3, 1000);
    const b = sut.addLine();
    sut.add(b, 2000, 20, 1000);
    sut.add(b, 3000, 30, 1000);
    expect(sut.data([b, a])).toEqual([
      [1, 2, 3],
      [null, 20, 30],
      [1, null, 3],
    ]);
    expect(sut.points).toBe(4);
  });

  it('trims slots older than the window start and counts only the points left', () => {
    const sut = new AlignedSeries();
    const a = sut.addLine();
    const b = sut.addLine();
    for (let t = 0; t < 10; t++) sut.add(a, t * 1000, t, 1000);
    sut.add(b, 8000, 80, 1000);
    sut.trim(7000);
    expect(sut.xs).toEqual([7000, 8000, 9000]);
    expect(sut.columns).toEqual([
      [7, 8, 9],
      [null, 80, null],
    ]);
    expect(sut.points).toBe(4);
  });

  it('has only an empty x axis without lines', () => {
    expect(new AlignedSeries().data([])).toEqual([[]]);
  });
});
