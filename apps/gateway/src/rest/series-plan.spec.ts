import { bucketCount, fitPoints, planSeries, SeriesLimits } from './series-plan';
import { SeriesParameterError } from './series-params';

describe('series plan: table and step', () => {
  const NOW = Date.UTC(2025, 0, 31, 12, 0, 0);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;
  const limits: SeriesLimits = { maxPoints: 10_000, retentionDays: { raw: 7, rollups10s: 30, rollups1m: 365 } };
  const sut = (rangeMs: number, stepMs?: number, endsAgoMs = 0, l = limits) => planSeries({ fromMs: NOW - endsAgoMs - rangeMs, toMs: NOW - endsAgoMs, stepMs }, l, NOW);
  const refusal = (run: () => unknown) => {
    try {
      run();
      return 'accepted';
    } catch (error) {
      if (!(error instanceof SeriesParameterError)) throw error;
      return `${error.parameter}: ${error.reason}`;
    }
  };

  it('counts the epoch-aligned buckets a range touches', () => {
    // Brute force: the distinct bucket starts of every millisecond step of 250 ms in the range.
    const brute = (from: number, to: number, stepS: number) => {
      const starts = new Set<number>();
      for (let t = from; t < to; t += 250) starts.add(Math.floor(t / (stepS * 1000)));
      starts.add(Math.floor((to - 1) / (stepS * 1000)));
      return starts.size;
    };
    for (const [from, to, step] of [
      [0, 60_000, 10],
      [5_000, 65_000, 10],
      [5_000, 65_001, 10],
      [9_999, 10_001, 10],
      [1_000, 2_000, 1],
      [1_735_689_600_123, 1_735_693_200_456, 60],
      [1_735_689_600_000, 1_735_689_600_250, 3600],
    ]) {
      expect(bucketCount(from, to, step)).toBe(brute(from, to, step));
    }
  });

  it.each([
    [15 * MIN, 'samples_raw'],
    [6 * HOUR, 'samples_raw'],
    [6 * HOUR + 1000, 'rollups_10s'],
    [2 * DAY, 'rollups_10s'],
    [7 * DAY, 'rollups_10s'],
    [7 * DAY + 1000, 'rollups_1m'],
    [30 * DAY, 'rollups_1m'],
  ])('reads a range of %i ms from %s', (range, table) => {
    expect(sut(range).table.name).toBe(table);
  });

  it('skips a table whose retention no longer holds `from`', () => {
    expect(sut(HOUR, undefined, 6 * DAY).table.name).toBe('samples_raw');
    expect(sut(HOUR, undefined, 8 * DAY).table.name).toBe('rollups_10s');
    expect(sut(HOUR, undefined, 31 * DAY).table.name).toBe('rollups_1m');
    expect(sut(HOUR, undefined, 400 * DAY).table.name).toBe('rollups_1m');
  });

  it('keeps a step the client gives when it is a multiple of the table resolution', () => {
    expect(sut(HOUR, 1000)).toMatchObject({ table: { name: 'samples_raw' }, stepS: 1, buckets: 3600, stepChosen: false });
    expect(sut(HOUR, 7000)).toMatchObject({ table: { name: 'samples_raw' }, stepS: 7 });
    // A coarse step does not move a short range to a rollup table.
    expect(sut(HOUR, 5 * MIN).table.name).toBe('samples_raw');
    expect(sut(2 * DAY, 30_000)).toMatchObject({ table: { name: 'rollups_10s' }, stepS: 30 });
    expect(sut(30 * DAY, 2 * HOUR)).toMatchObject({ table: { name: 'rollups_1m' }, stepS: 7200, buckets: 360 });
  });

  it('refuses a step finer than the table, saying which multiple to use', () => {
    expect(refusal(() => sut(2 * DAY, 15_000))).toBe('step: 15s cannot be built from rollups_10s, the finest table a 2d range reads: use a multiple of 10s');
    expect(refusal(() => sut(30 * DAY, 10_000))).toBe('step: 10s cannot be built from rollups_1m, the finest table a 30d range reads: use a multiple of 1m');
    expect(refusal(() => sut(HOUR, 5000, 10 * DAY))).toMatch(/^step: 5s cannot be built from rollups_10s, the finest table still holding 2025-01-21T11:00:00\.000Z/);
  });

  it('chooses a round step giving at most 500 buckets, never finer than the table', () => {
    const chosen = (range: number, endsAgo = 0) => {
      const plan = sut(range, undefined, endsAgo);
      expect(plan.stepChosen).toBe(true);
      expect(plan.buckets).toBeLessThanOrEqual(500);
      expect(plan.stepS % plan.table.resolutionS).toBe(0);
      return `${plan.table.name} ${plan.stepS}`;
    };
    expect(chosen(15 * MIN)).toBe('samples_raw 2');
    expect(chosen(HOUR)).toBe('samples_raw 10');
    expect(chosen(6 * HOUR)).toBe('samples_raw 60');
    expect(chosen(24 * HOUR)).toBe('rollups_10s 300');
    expect(chosen(7 * DAY)).toBe('rollups_10s 1800');
    expect(chosen(30 * DAY)).toBe('rollups_1m 7200');
    expect(chosen(10 * MIN, 8 * DAY)).toBe('rollups_10s 10');
  });

  describe('points limit (series × buckets)', () => {
    it('accepts up to the limit and refuses beyond it, naming step', () => {
      const plan = sut(HOUR, MIN); // 60 buckets
      expect(fitPoints(plan, 166, limits, NOW)).toBe(plan); // 9,960 points
      expect(refusal(() => fitPoints(plan, 167, limits, NOW))).toBe(
        'step: 167 series × 60 buckets of 1m is 10020 points, more than the 10000 allowed (GATEWAY_SERIES_MAX_POINTS): use a larger step, a shorter range or a narrower filter',
      );
    });

    it('raises a step it chose itself to the smallest round step that fits', () => {
      const plan = sut(HOUR); // 10 s, 360 buckets
      const fitted = fitPoints(plan, 100, limits, NOW); // 100 series: at most 100 buckets each
      expect(fitted).toMatchObject({ table: { name: 'samples_raw' }, stepS: 60, buckets: 60, stepChosen: true });
      expect(fitPoints(sut(30 * DAY), 30, limits, NOW)).toMatchObject({ stepS: 10800, buckets: 240 });
    });

    it('refuses more series than points, naming labels', () => {
      expect(refusal(() => fitPoints(sut(HOUR), 10_001, limits, NOW))).toMatch(/^labels: 10001 series match, more than the 10000 points allowed/);
    });

    it('refuses a range × step too large for a single series', () => {
      expect(refusal(() => fitPoints(sut(6 * HOUR, 1000), 1, limits, NOW))).toMatch(/^step: 1 series × 21600 buckets of 1s is 21600 points/);
    });
  });
});
