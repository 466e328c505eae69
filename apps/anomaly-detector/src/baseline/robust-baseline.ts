/** 1.4826 × MAD estimates the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;
/** When MAD is 0 (over half the window holds one value), 1.2533 × the mean absolute deviation stands in (Iglewicz & Hoaglin's modified z-score). */
export const MEAN_AD_TO_SIGMA = 1.253314;
/** Whole-number series cannot be measured finer than 1: their spread is at least the quantisation noise, 1/√12 (so a step of ±1 never fires). */
export const WHOLE_NUMBER_SPREAD = 1 / Math.sqrt(12);

export interface BaselineOptions {
  /** Samples seen before a verdict can be "anomalous". */
  warmupSamples: number;
  /** Recent values kept for the median and the MAD. */
  windowSamples: number;
  /** k: anomalous when |value − centre| > k × spread. */
  threshold: number;
  /** Floor of the spread, absolute and relative to |centre|. */
  minSpread: number;
  minSpreadRatio: number;
}

/** What the baseline expected of a value, judged before the value is learnt. */
export interface Verdict {
  /** Still warming up: the band is a guess and the sample is never anomalous. */
  warmingUp: boolean;
  anomalous: boolean;
  center: number;
  /** Robust standard deviation used: 1.4826 × MAD (or its stand-ins), never below the floors. */
  spread: number;
  low: number;
  high: number;
  /** |value − centre| / spread. */
  score: number;
  direction: 'high' | 'low';
}

/** Sorting space shared by every baseline: the detector is single-threaded, and a copy per sample would be garbage per sample. */
let scratch = new Float64Array(64);

/**
 * The k-th smallest of the first `n` values (Wirth's selection, O(n)): afterwards `values[k]`
 * holds it, with smaller-or-equal values before it. Sorting the window twice per sample took
 * 2.5 times as long (5 µs against 2 µs per sample, window 60).
 */
function selectInPlace(values: Float64Array, n: number, k: number): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const pivot = values[k];
    let i = low;
    let j = high;
    do {
      while (values[i] < pivot) i++;
      while (pivot < values[j]) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) low = i;
    if (k < i) high = j;
  }
  return values[k];
}

/** Median of the first `n` values of `values` (reordered in place). */
export function medianInPlace(values: Float64Array, n: number): number {
  const middle = n >> 1;
  const upper = selectInPlace(values, n, middle);
  if (n % 2 === 1) return upper;
  let lower = values[0];
  for (let i = 1; i < middle; i++) if (values[i] > lower) lower = values[i];
  return (lower + upper) / 2;
}

/**
 * The baseline of one series. The centre is an EWMA (smoothing 2 / (window + 1)) — it follows a
 * drifting series smoothly — but each value is first clamped to the window's median ± k × spread,
 * so a spike moves the centre by a bounded amount while a real level shift, once it holds half the
 * window, moves the median and the clamp with it. The spread is 1.4826 × MAD (median absolute
 * deviation from the median) of the last `windowSamples` values: robust to the very outliers being
 * looked for, unlike a standard deviation. Where MAD says nothing (0: a series that mostly repeats
 * one value) the mean absolute deviation stands in; whole-number series are never judged finer
 * than their resolution; and the spread never goes below the configured floors. During warm-up
 * the centre is the window's median.
 */
export class RobustBaseline {
  private readonly window: Float64Array;
  private readonly alpha: number;
  private next = 0;
  private filled = 0;
  private center = 0;
  private median = 0;
  /** The window's robust standard deviation, before the floors that depend on the centre. */
  private sigma = 0;
  /** Samples learnt so far. */
  samples = 0;

  constructor(private readonly options: BaselineOptions) {
    this.window = new Float64Array(options.windowSamples);
    this.alpha = 2 / (options.windowSamples + 1);
    if (scratch.length < options.windowSamples) scratch = new Float64Array(options.windowSamples);
  }

  /** Judges `value` against what was learnt so far, then learns it. */
  observe(value: number): Verdict {
    const verdict = this.judge(value);
    this.learn(value, verdict.spread);
    return verdict;
  }

  private judge(value: number): Verdict {
    const { threshold, warmupSamples } = this.options;
    if (this.samples === 0) {
      return { warmingUp: true, anomalous: false, center: value, spread: this.floor(value), low: value, high: value, score: 0, direction: 'high' };
    }
    const spread = Math.max(this.sigma, this.floor(this.center));
    const score = Math.abs(value - this.center) / spread;
    const warmingUp = this.samples < warmupSamples;
    return {
      warmingUp,
      anomalous: !warmingUp && score > threshold,
      center: this.center,
      spread,
      low: this.center - threshold * spread,
      high: this.center + threshold * spread,
      score,
      direction: value >= this.center ? 'high' : 'low',
    };
  }

  private learn(value: number, spread: number): void {
    const { threshold, warmupSamples } = this.options;
    const bound = threshold * spread;
    const clamped = this.samples === 0 ? value : Math.min(Math.max(value, this.median - bound), this.median + bound);
    this.window[this.next] = value;
    this.next = (this.next + 1) % this.window.length;
    if (this.filled < this.window.length) this.filled++;
    this.samples++;
    this.updateMedianAndSigma();
    this.center = this.samples <= warmupSamples ? this.median : this.center + this.alpha * (clamped - this.center);
  }

  private updateMedianAndSigma(): void {
    const n = this.filled;
    scratch.set(this.window.subarray(0, n));
    const median = medianInPlace(scratch, n);
    let sumOfDeviations = 0;
    let wholeNumbers = true;
    for (let i = 0; i < n; i++) {
      const value = this.window[i];
      scratch[i] = Math.abs(value - median);
      sumOfDeviations += scratch[i];
      if (wholeNumbers && !Number.isInteger(value)) wholeNumbers = false;
    }
    const mad = medianInPlace(scratch, n);
    const sigma = mad > 0 ? MAD_TO_SIGMA * mad : (MEAN_AD_TO_SIGMA * sumOfDeviations) / n;
    this.median = median;
    this.sigma = wholeNumbers ? Math.max(sigma, WHOLE_NUMBER_SPREAD) : sigma;
  }

  private floor(center: number): number {
    return Math.max(this.options.minSpread, this.options.minSpreadRatio * Math.abs(center));
  }
}
