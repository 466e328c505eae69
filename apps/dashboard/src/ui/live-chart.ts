import uPlot from 'uplot';
import type { DoflamingoClient, MetricsSubscription } from '@doflamingo/client';
import { alignSeries, plottedPoints, SeriesPoints } from '../core/chart-data';
import { formatValue } from '../core/health';
import type { RestApi } from '../core/rest-api';
import { liveResolutionMs, rangeWindow, type TimeRange } from '../core/time-range';

export type Unit = 'bytes' | 'rate' | 'seconds' | 'ratio' | 'count';

export interface LiveChartOptions {
  title: string;
  cluster: string;
  metric: string;
  /** Label globs, as in subscriptions, e.g. { request: 'Produce' }. */
  labels?: Record<string, string>;
  /** The legend name of a series from its labels. */
  seriesName: (labels: Record<string, string>) => string;
  unit: Unit;
  range: TimeRange;
  height?: number;
  /** A sparkline: no axes, no legend. */
  compact?: boolean;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const DASHES: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3]];

/**
 * A uPlot time-series chart fed by history from REST (`/api/v1/series`) and then by live samples
 * from a WebSocket subscription; live points are appended and the chart redrawn at most once per
 * animation frame. Exposes `data-points` (values plotted) and `data-series` for tests.
 */
export class LiveChart {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private readonly lines = new Map<string, { name: string; points: SeriesPoints }>();
  /** How many times a uPlot instance was built (tests check a range or theme change builds none). */
  private builds = 0;
  private subscription: MetricsSubscription | undefined;
  private frame = 0;
  private destroyed = false;
  private resolution: number;
  private resizeObserver: ResizeObserver | undefined;
  /** Bumped on every (re)load, so a slow history answer for an old range is dropped. */
  private generation = 0;
  /** Axis and grid colours from the theme's CSS variables; read by uPlot at every draw. */
  private readonly colours = { axis: '#888', grid: 'rgba(128,128,128,0.2)' };
  /** Charts on the page now, restyled in place when the theme changes. */
  private static readonly alive = new Set<LiveChart>();
  private updateStartedAt: number | undefined;
  /** Time each redraw took (ms), from new data to the canvas drawn, for the benchmark. */
  static readonly updateTimes: number[] = [];
  /** The JavaScript part of each redraw (ms): trim, align, setData, before the canvas is drawn. */
  static readonly prepareTimes: number[] = [];

  constructor(
    private readonly options: LiveChartOptions,
    private readonly api: RestApi,
    private readonly client: DoflamingoClient,
  ) {
    this.resolution = liveResolutionMs(options.range);
    this.element = document.createElement('figure');
    this.element.className = options.compact ? 'chart compact' : 'chart';
    this.element.dataset.metric = options.metric;
    this.element.dataset.points = '0';
    this.element.dataset.series = '0';
    this.element.dataset.state = 'loading';
    if (!options.compact) {
      const caption = document.createElement('figcaption');
      caption.textContent = options.title;
      this.element.append(caption);
    }
  }

  /** Follows live samples and loads the history of the range. */
  async start(): Promise<void> {
    const { cluster, metric, labels } = this.options;
    LiveChart.alive.add(this);
    this.subscription = this.client.subscribe({ channel: 'metrics', cluster, metric, labels }, { onChange: (changed) => this.live(changed) });
    await this.loadHistory();
  }

  /**
   * Another time range for the same chart: the subscription, the uPlot instance and its DOM stay;
   * the points are rebuilt from the new range's history plus the live values already held.
   */
  async setRange(range: TimeRange): Promise<void> {
    if (range === this.options.range) return;
    this.options.range = range;
    this.resolution = liveResolutionMs(range);
    await this.loadHistory();
  }

  /** The theme changed: new axis and grid colours, redrawn in place (no new chart, no new data). */
  static restyleAll(): void {
    for (const chart of LiveChart.alive) chart.restyle();
  }

  private restyle(): void {
    this.readColours();
    this.plot?.redraw(false, false);
  }

  private readColours(): void {
    const styles = getComputedStyle(this.element);
    this.colours.axis = styles.getPropertyValue('--fg-muted').trim() || '#888';
    this.colours.grid = styles.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.2)';
  }

  /**
   * History from REST for the current range, then the live points held so far on top of it. The
   * lines' points are swapped in one go when the answer is there, so the chart never shows empty.
   */
  private async loadHistory(): Promise<void> {
    const generation = ++this.generation;
    const { cluster, metric, labels } = this.options;
    const { from, to } = rangeWindow(this.options.range, Date.now());
    this.element.dataset.state = 'loading';
    this.element.dataset.range = this.options.range;
    const fresh = new Map<{ name: string; points: SeriesPoints }, SeriesPoints>();
    const rebuilt = (labels: Record<string, string>) => {
      const line = this.line(labels);
      let points = fresh.get(line);
      if (!points) fresh.set(line, (points = new SeriesPoints()));
      return points;
    };
    let newestHistory = -Infinity;
    try {
      const labelQuery = labels ? Object.entries(labels).map(([k, v]) => `${k}:${v}`).join(',') : undefined;
      const history = await this.api.series({ metric, cluster, labels: labelQuery, from, to });
      if (this.destroyed || generation !== this.generation) return;
      let historyPoints = 0;
      for (const s of history.series) {
        const points = rebuilt(s.labels);
        for (const [ts, avg] of s.points) points.add(ts, avg, history.step);
        historyPoints += s.points.length;
        if (s.points.length) newestHistory = Math.max(newestHistory, s.points[s.points.length - 1][0]);
      }
      this.element.dataset.historyPoints = String(historyPoints);
      this.element.dataset.state = 'ready';
    } catch (error) {
      if (this.destroyed || generation !== this.generation) return;
      this.element.dataset.state = 'history-failed';
      this.element.title = `history: ${(error as Error).message}`;
    }
    // Live points newer than the history stay (at this range's resolution); the rest is history's.
    for (const line of this.lines.values()) {
      const points = fresh.get(line) ?? new SeriesPoints();
      for (let i = 0; i < line.points.ts.length; i++) if (line.points.ts[i] > newestHistory) points.add(line.points.ts[i], line.points.values[i], this.resolution);
      line.points = points;
    }
    for (const sample of this.subscription?.values() ?? []) this.line(sample.labels).points.add(sample.ts, sample.value, this.resolution);
    this.schedule();
  }

  destroy(): void {
    this.destroyed = true;
    LiveChart.alive.delete(this);
    this.subscription?.unsubscribe();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver?.disconnect();
    this.plot?.destroy();
  }

  private line(labels: Record<string, string>): { name: string; points: SeriesPoints } {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let line = this.lines.get(key);
    if (!line) {
      line = { name: this.options.seriesName(labels), points: new SeriesPoints() };
      this.lines.set(key, line);
      this.plot?.destroy(); // a new series: rebuilt on the next frame
      this.plot = undefined;
    }
    return line;
  }

  private live(samples: readonly { labels: Record<string, string>; ts: number; value: number }[]): void {
    for (const s of samples) this.line(s.labels).points.add(s.ts, s.value, this.resolution);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame || this.destroyed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  private redraw(): void {
    const started = performance.now();
    const { from } = rangeWindow(this.options.range, Date.now());
    const entries = [...this.lines.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const e of entries) e.points.trim(from);
    const data = alignSeries(entries.map((e) => e.points));
    if (!this.plot) this.plot = this.create(entries.map((e) => e.name), data);
    else this.plot.setData(data as uPlot.AlignedData);
    this.element.dataset.points = String(plottedPoints(data));
    this.element.dataset.series = String(entries.length);
    LiveChart.prepareTimes.push(performance.now() - started);
    if (LiveChart.prepareTimes.length > 10_000) LiveChart.prepareTimes.splice(0, 5_000);
    // uPlot draws in a microtask after setData: the `draw` hook closes the measurement.
    this.updateStartedAt = started;
  }

  private drawn(): void {
    if (this.updateStartedAt === undefined) return;
    LiveChart.updateTimes.push(performance.now() - this.updateStartedAt);
    this.updateStartedAt = undefined;
    if (LiveChart.updateTimes.length > 10_000) LiveChart.updateTimes.splice(0, 5_000);
  }

  private xRange(): [number, number] {
    const { from, to } = rangeWindow(this.options.range, Date.now());
    return [from / 1000, to / 1000];
  }

  private create(names: string[], data: ReturnType<typeof alignSeries>): uPlot {
    const unit = this.options.unit;
    const compact = !!this.options.compact;
    const many = names.length > 30;
    this.readColours();
    const axisColour = () => this.colours.axis;
    const gridColour = () => this.colours.grid;
    this.element.dataset.builds = String(++this.builds);
    const width = Math.max(compact ? 120 : 280, this.element.clientWidth || (compact ? 160 : 480));
    const opts: uPlot.Options = {
      width,
      height: this.options.height ?? (compact ? 36 : 200),
      // A legend of hundreds of lines says nothing and costs a DOM row each: past 30 series the cursor tooltip is it.
      legend: { show: !compact && !many },
      hooks: { draw: [() => this.drawn()] },
      cursor: { show: !compact },
      // The x axis always spans the chosen range (a few points do not zoom it out to years).
      scales: { x: { time: true, range: () => this.xRange() } },
      axes: compact
        ? [{ show: false }, { show: false }]
        : [
            { stroke: axisColour, grid: { stroke: gridColour }, ticks: { stroke: gridColour } },
            { stroke: axisColour, grid: { stroke: gridColour }, ticks: { stroke: gridColour }, size: 84, values: (_u, ticks) => ticks.map((t) => formatValue(t, unit)) },
          ],
      series: [
        {},
        ...names.map((label, i) => ({
          label,
          stroke: PALETTE[i % PALETTE.length],
          // Few lines: dashes tell lines of the same colour apart, and uPlot marks sparse points. Many lines:
          // thin solid strokes only (dashed paths and point markers cost the canvas most).
          ...(many ? { width: 1, points: { show: false } } : { dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length], width: compact ? 1.5 : 2 }),
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
    };
    const plot = new uPlot(opts, data as uPlot.AlignedData, this.element);
    if (!compact && typeof ResizeObserver !== 'undefined') {
      this.resizeObserver?.disconnect();
      this.resizeObserver = new ResizeObserver(() => {
        const w = this.element.clientWidth;
        if (w > 0 && Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: plot.height });
      });
      this.resizeObserver.observe(this.element);
    }
    return plot;
  }
}
