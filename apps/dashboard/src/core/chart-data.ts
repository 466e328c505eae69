/**
 * A chart's lines kept in the shape uPlot draws from: one x axis shared by every line (slot start,
 * in ms and in seconds) and one column per line, null where a line has no point. A sample is put
 * in place as it arrives, so a redraw hands uPlot these arrays as they are instead of aligning
 * every line again (with 1,000 lines that alignment was most of the JavaScript of a redraw).
 */
export class AlignedSeries {
  /** Slot starts, ms since the epoch, ascending. */
  readonly xs: number[] = [];
  /** The same slots in seconds, uPlot's x values. */
  readonly seconds: number[] = [];
  /** One column per line (in the order lines were added), each as long as `xs`. */
  readonly columns: (number | null)[][] = [];
  /** Values that are not null, over all columns. */
  points = 0;

  get lineCount(): number {
    return this.columns.length;
  }

  /** A new line without points; returns its column index. */
  addLine(): number {
    this.columns.push(new Array<number | null>(this.xs.length).fill(null));
    return this.columns.length - 1;
  }

  /** Puts `value` in the slot of `ts` (rounded down to `resolutionMs`); a value already there is replaced. */
  add(line: number, ts: number, value: number, resolutionMs: number): void {
    const slot = Math.floor(ts / resolutionMs) * resolutionMs;
    const n = this.xs.length;
    let i: number;
    if (n === 0 || slot > this.xs[n - 1]) {
      // The usual case: a new latest slot.
      this.xs.push(slot);
      this.seconds.push(slot / 1000);
      for (const column of this.columns) column.push(null);
      i = n;
    } else if (slot === this.xs[n - 1]) {
      i = n - 1;
    } else {
      i = lowerBound(this.xs, slot);
      if (this.xs[i] !== slot) {
        this.xs.splice(i, 0, slot);
        this.seconds.splice(i, 0, slot / 1000);
        for (const column of this.columns) column.splice(i, 0, null);
      }
    }
    const column = this.columns[line];
    if (column[i] === null) this.points++;
    column[i] = value;
  }

  /** Drops the slots before `from` (ms). */
  trim(from: number): void {
    let k = 0;
    while (k < this.xs.length && this.xs[k] < from) k++;
    if (k === 0) return;
    for (const column of this.columns) {
      for (let i = 0; i < k; i++) if (column[i] !== null) this.points--;
      column.splice(0, k);
    }
    this.xs.splice(0, k);
    this.seconds.splice(0, k);
  }

  /** uPlot's data for some lines, in the given order (the arrays themselves, not copies). */
  data(lines: readonly number[]): [number[], ...(number | null)[][]] {
    return [this.seconds, ...lines.map((line) => this.columns[line])];
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
