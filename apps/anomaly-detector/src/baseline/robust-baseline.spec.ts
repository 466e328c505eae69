import { BaselineOptions, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, medianInPlace, RobustBaseline, Verdict, WHOLE_NUMBER_SPREAD } from './robust-baseline';

const options: BaselineOptions = { warmupSamples: 20, windowSamples: 40, threshold: 6, minSpread: 1e-3, minSpreadRatio: 0.01 };
const sut = (overrides: Partial<BaselineOptions> = {}) => new RobustBaseline({ ...options, ...overrides });

/** Deterministic noise in [-1, 1) (a small LCG), so every run sees the same series. */
function noise(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return (state / 2 ** 32) * 2 - 1;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function feed(baseline: RobustBaseline, values: number[]): Verdict[] {
  return values.map((value) => baseline.observe(value));
}

describe('RobustBaseline', () => {
  it('never calls a sample anomalous during warm-up, however far out', () => {
    const baseline = sut();
    const calm = (n: number) => Array.from({ length: n }, (_, i) => 10 + (i % 3));
    const verdicts = feed(baseline, [...calm(3), 1e6, 10, -1e6, ...calm(13)]);
    expect(verdicts).toHaveLength(options.warmupSamples - 1);
    expect(verdicts.every((v) => v.warmingUp && !v.anomalous)).toBe(true);
    // The 20th sample is judged against 19 learnt ones: still warming up. From the 21st on, verdicts count.
    expect(baseline.observe(1e6)).toMatchObject({ warmingUp: true, anomalous: false });
    expect(baseline.observe(1e6)).toMatchObject({ warmingUp: false, anomalous: true, direction: 'high' });
  });

  it('flags a spike in a noisy steady series, with a band that holds the steady values and a score in robust standard deviations', () => {
    const random = noise();
    const steady = Array.from({ length: 60 }, () => 100 + 5 * random());
    const baseline = sut();
    const verdicts = feed(baseline, steady);
    expect(verdicts.filter((v) => v.anomalous)).toEqual([]);

    const spike = baseline.observe(200);
    expect(spike).toMatchObject({ anomalous: true, warmingUp: false, direction: 'high' });
    expect(spike.center).toBeGreaterThan(97);
    expect(spike.center).toBeLessThan(103);
    expect(spike.low).toBeLessThan(Math.min(...steady));
    expect(spike.high).toBeGreaterThan(Math.max(...steady));
    expect(spike.high).toBeLessThan(200);
    // The spread is 1.4826 × the MAD of the last `windowSamples` values, computed here independently.
    const window = steady.slice(-options.windowSamples);
    const m = median(window);
    const mad = median(window.map((v) => Math.abs(v - m)));
    expect(spike.spread).toBeCloseTo(MAD_TO_SIGMA * mad, 9);
    expect(spike.score).toBeCloseTo((200 - spike.center) / spike.spread, 9);
    expect(spike.high - spike.center).toBeCloseTo(options.threshold * spike.spread, 9);

    expect(baseline.observe(0)).toMatchObject({ anomalous: true, direction: 'low' });
  });

  it('does not let a spike drag the centre: the next normal value is normal', () => {
    const random = noise(7);
    const baseline = sut();
    feed(baseline, Array.from({ length: 60 }, () => 50 + random()));
    const before = baseline.observe(50);
    baseline.observe(1e9);
    const after = baseline.observe(50);
    expect(after.anomalous).toBe(false);
    // Clamped to the band: the EWMA moved by at most alpha × k × spread.
    expect(Math.abs(after.center - before.center)).toBeLessThan((2 / 41) * options.threshold * before.spread * 1.5);
  });

  it('does not flag the tiny wiggles of a flat series (minimum spread), but does flag a real move', () => {
    const random = noise(3);
    const baseline = sut();
    const flat = feed(baseline, Array.from({ length: 60 }, () => 1000 + 1e-6 * random()));
    expect(flat.some((v) => v.anomalous)).toBe(false);
    // A MAD near 1e-6 alone would score a 0.5 wiggle at ~300 000; the 1 % floor (10) keeps it at 0.05.
    const wiggle = baseline.observe(1000.5);
    expect(wiggle.anomalous).toBe(false);
    expect(wiggle.spread).toBeCloseTo(10, 6);
    expect(baseline.observe(900)).toMatchObject({ anomalous: true, direction: 'low' });
  });

  it('uses the absolute floor for a flat series near zero, keeping the score finite', () => {
    const baseline = sut();
    feed(baseline, Array(30).fill(0.0001));
    const moved = baseline.observe(0.0101);
    expect(moved.anomalous).toBe(true);
    expect(moved.spread).toBe(1e-3);
    expect(moved.score).toBeCloseTo(10, 9);
  });

  it('does not judge a whole-number series finer than 1: a flat 3 stepping to 2 is normal, to 0 is an anomaly', () => {
    const baseline = sut();
    feed(baseline, Array(30).fill(3));
    const step = baseline.observe(2);
    expect(step).toMatchObject({ anomalous: false, spread: WHOLE_NUMBER_SPREAD });
    expect(baseline.observe(0)).toMatchObject({ anomalous: true, direction: 'low' });
  });

  it('falls back to the mean absolute deviation when most of the window is one value (MAD = 0)', () => {
    // A counter's rate read at slightly uneven intervals: two thirds of the readings are identical.
    const rates = Array.from({ length: 40 }, (_, i) => (i % 3 === 2 ? 105.5 : 100.25));
    const baseline = sut();
    const verdicts = feed(baseline, rates);
    expect(verdicts.some((v) => v.anomalous)).toBe(false);
    const window = rates.slice(-options.windowSamples);
    const meanAbsoluteDeviation = window.reduce((sum, v) => sum + Math.abs(v - 100.25), 0) / window.length;
    const next = baseline.observe(100.25);
    expect(next.spread).toBeCloseTo(MEAN_AD_TO_SIGMA * meanAbsoluteDeviation, 9);
    expect(baseline.observe(150)).toMatchObject({ anomalous: true, direction: 'high' });
  });

  it('adopts a lasting level shift as the new normal once it fills the window', () => {
    const random = noise(11);
    const baseline = sut();
    feed(baseline, Array.from({ length: 60 }, () => 100 + random()));
    const shifted = feed(baseline, Array.from({ length: 200 }, () => 300 + random()));
    expect(shifted[0].anomalous).toBe(true);
    expect(shifted.slice(-20).some((v) => v.anomalous)).toBe(false);
    expect(shifted.at(-1)!.center).toBeGreaterThan(295);
  });

  it('does not flag a steady ramp (a disk filling up) as anomalous', () => {
    const baseline = sut();
    const verdicts = feed(baseline, Array.from({ length: 300 }, (_, i) => 1e9 + i * 1e6));
    expect(verdicts.filter((v) => v.anomalous)).toEqual([]);
  });
});

describe('medianInPlace', () => {
  it('agrees with sorting, for odd and even counts, duplicates and negative values', () => {
    const random = noise(5);
    for (let n = 1; n <= 64; n++) {
      for (const spread of [1000, 3]) {
        const values = Array.from({ length: n }, () => Math.round(random() * spread) / (spread === 3 ? 1 : 7));
        // (+ 0 turns -0 into 0: either is a right median of [-0, 0])
        expect(medianInPlace(Float64Array.from([...values, 1e9, -1e9]), n) + 0).toBe(median(values) + 0);
      }
    }
  });
});
