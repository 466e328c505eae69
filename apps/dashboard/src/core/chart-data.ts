/**
 * One line of a chart: its points in time order (ms since the epoch). Live samples are appended;
 * history replaces what it covers.
 */
export class SeriesPoints {
  ts: number[] = [];
  values: number[] = [];

  /** Appends a point, keeping time order; a point in the same rounded slot replaces the last one. */
  add(ts: number, value: number, resolutionMs: number): void {
    const slot = Math.floor(ts / resolutionMs) * resolutionMs;
    const n = this.ts.length;
    if (n > 0 && this.ts[n - 1] === slot) {
      this.values[n - 1] = value;
      return;
    }
    if (n > 0 && this.ts[n - 1] > slot) {
      // Out of order (rare: a late sample): insert in place.
      let i = n - 1;
      while (i > 0 && this.ts[i - 1] > slot) i--;
      if (this.ts[i - 1] === slot) this.values[i - 1] = value;
      else {
        this.ts.splice(i, 0, slot);
        this.values.splice(i, 0, value);
      }
      return;
    }
    this.ts.push(slot);
    this.values.push(value);
  }

  /** Drops points before `from`. */
  trim(from: number): void {
    let i = 0;
    while (i < this.ts.length && this.ts[i] < from) i++;
    if (i > 0) {
      this.ts.splice(0, i);
      this.values.splice(0, i);
    }
  }
}

/**
 * uPlot wants one x array shared by every series: the union of all timestamps (in seconds), each
 * series with null where it has no point (drawn with spanGaps).
 */
export function alignSeries(series: readonly SeriesPoints[]): [number[], ...(number | null)[][]] {
  const all = new Set<number>();
  for (const s of series) for (const t of s.ts) all.add(t);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map<number, number>();
  xs.forEach((t, i) => index.set(t, i));
  const ys = series.map((s) => {
    const column: (number | null)[] = new Array(xs.length).fill(null);
    for (let i = 0; i < s.ts.length; i++) column[index.get(s.ts[i])!] = s.values[i];
    return column;
  });
  return [xs.map((t) => t / 1000), ...ys];
}

/** Points actually plotted (non-null values), for the `data-points` attribute tests read. */
export function plottedPoints(data: readonly (readonly (number | null)[])[]): number {
  let count = 0;
  for (let s = 1; s < data.length; s++) for (const v of data[s]) if (v !== null && Number.isFinite(v)) count++;
  return count;
}
