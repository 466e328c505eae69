import uPlot from 'uplot';
import type { AnomaliesSubscription, DoflamingoClient, MetricsSubscription } from '@doflamingo/client';
import { AnomalyLog, labelsKey } from '../core/anomaly-log';
import { AlignedSeries } from '../core/chart-data';
import { formatValue } from '../core/health';
import type { RestApi, SeriesResponse } from '../core/rest-api';
import { liveResolutionMs, rangeWindow, type TimeRange } from '../core/time-range';
import { frames } from './frame-scheduler';

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
/** Past this many lines a chart drops legend, dashes and point markers (they cost the canvas most and say nothing). */
const MANY_LINES = 30;
/**
 * Lines per uPlot instance. A chart with more is drawn as several stacked plots ("series 1–100 of
 * 1000"): each redraw then fits in a frame's budget and plots off screen are not drawn at all.
 */
export const LINES_PER_PLOT = 100;

/** One uPlot instance of a chart and the lines it draws. */
interface Pane {
  element: HTMLElement;
  plot: uPlot;
  lines: number[];
  visible: boolean;
  /** Has data it has not drawn (it was off screen). */
  stale: boolean;
  update: () => void;
}

/**
 * A uPlot time-series chart fed by history from REST (`/api/v1/series`) and then by live samples
 * from a WebSocket subscription. Samples go straight into uPlot's aligned arrays; redraws go
 * through the page's frame scheduler (a budget per animation frame), and a pane off screen waits
 * until it scrolls into view. Exposes `data-points` (values plotted) and `data-series` for tests.
 */
export class LiveChart {
  readonly element: HTMLElement;
  private table = new AlignedSeries();
  /** Line key (its sorted labels) → column in `table`, and its legend name. */
  private readonly lines = new Map<string, { name: string; column: number }>();
  private panes: Pane[] = [];
  /** Anomalies in the window with the column of their line, drawn by each pane's draw hook. */
  private marks: { column: number; at: number; value: number; low: number; center: number; high: number; direction: 'high' | 'low' }[] = [];
  /** New lines since the panes were built: the next redraw builds them again. */
  private layoutChanged = true;
  /** How many times the uPlot instances were built (tests check a range or theme change builds none). */
  private builds = 0;
  private subscription: MetricsSubscription | undefined;
  private anomalySubscription: AnomaliesSubscription | undefined;
  /** Anomalies of this chart's series (the anomaly detector's, through the gateway's anomalies channel). */
  private readonly anomalies = new AnomalyLog();
  private destroyed = false;
  private resolution: number;
  private resizeObserver: ResizeObserver | undefined;
  private visibility: IntersectionObserver | undefined;
  /** Bumped on every (re)load, so a slow history answer for an old range is dropped. */
  private generation = 0;
  /** Axis and grid colours from the theme's CSS variables; read by uPlot at every draw. */
  private readonly colours = { axis: '#888', grid: 'rgba(128,128,128,0.2)', anomaly: '#c0392b' };
  /** Charts on the page now, restyled in place when the theme changes. */
  private static readonly alive = new Set<LiveChart>();
  /** Time each pane redraw took (ms), setData and the canvas drawn, for the benchmark. */
  static readonly updateTimes: number[] = [];
  /** The chart-wide part of an update (ms): trimming the window and queueing the panes. */
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
    this.anomalySubscription = this.client.subscribe(
      { channel: 'anomalies', cluster, metric, labels },
      {
        onChange: (changed, info) => {
          this.anomalies.apply(changed, info.reason);
          this.changed();
        },
        // A gateway without the anomalies channel: the chart simply has no marks.
        onError: () => undefined,
      },
    );
    await this.loadHistory();
  }

  /**
   * Another time range for the same chart: the subscription, the uPlot instances and their DOM
   * stay; the points are rebuilt from the new range's history plus the live values already held.
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

  destroy(): void {
    this.destroyed = true;
    LiveChart.alive.delete(this);
    this.subscription?.unsubscribe();
    this.anomalySubscription?.unsubscribe();
    frames.cancel(this.update);
    this.destroyPanes();
    this.resizeObserver?.disconnect();
    this.visibility?.disconnect();
  }

  private restyle(): void {
    this.readColours();
    for (const pane of this.panes) pane.plot.redraw(false, false);
  }

  private readColours(): void {
    const styles = getComputedStyle(this.element);
    this.colours.axis = styles.getPropertyValue('--fg-muted').trim() || '#888';
    this.colours.grid = styles.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.2)';
    this.colours.anomaly = styles.getPropertyValue('--crit').trim() || '#c0392b';
  }

  /**
   * History from REST for the current range, then the live points held so far on top of it. The
   * table is swapped in one go when the answer is there, so the chart never shows empty.
   */
  private async loadHistory(): Promise<void> {
    const generation = ++this.generation;
    const { cluster, metric, labels } = this.options;
    const { from, to } = rangeWindow(this.options.range, Date.now());
    this.element.dataset.state = 'loading';
    this.element.dataset.range = this.options.range;
    let history: SeriesResponse | undefined;
    try {
      const labelQuery = labels ? Object.entries(labels).map(([k, v]) => `${k}:${v}`).join(',') : undefined;
      history = await this.api.series({ metric, cluster, labels: labelQuery, from, to });
    } catch (error) {
      if (this.destroyed || generation !== this.generation) return;
      this.element.dataset.state = 'history-failed';
      this.element.title = `history: ${(error as Error).message}`;
    }
    if (this.destroyed || generation !== this.generation) return;
    // Columns line up with the current table's (live samples may have added lines meanwhile).
    const fresh = new AlignedSeries();
    for (let i = 0; i < this.table.lineCount; i++) fresh.addLine();
    let newestHistory = -Infinity;
    if (history) {
      let historyPoints = 0;
      for (const s of history.series) {
        const column = this.column(s.labels, fresh);
        for (const [ts, avg] of s.points) fresh.add(column, ts, avg, history.step);
        historyPoints += s.points.length;
        if (s.points.length) newestHistory = Math.max(newestHistory, s.points[s.points.length - 1][0]);
      }
      this.element.dataset.historyPoints = String(historyPoints);
      this.element.dataset.state = 'ready';
    }
    // Live points newer than the history stay (at this range's resolution); the rest is history's.
    const old = this.table;
    for (let i = 0; i < old.xs.length; i++) {
      if (old.xs[i] <= newestHistory) continue;
      for (let line = 0; line < old.lineCount; line++) {
        const value = old.columns[line][i];
        if (value !== null) fresh.add(line, old.xs[i], value, this.resolution);
      }
    }
    this.table = fresh;
    for (const sample of this.subscription?.values() ?? []) this.table.add(this.column(sample.labels), sample.ts, sample.value, this.resolution);
    this.changed();
  }

  /** The column of a line, added (to `table` and to every table the chart holds) when new. */
  private column(labels: Record<string, string>, table = this.table): number {
    const key = labelsKey(labels);
    let line = this.lines.get(key);
    if (!line) {
      const column = table.addLine();
      if (table !== this.table) this.table.addLine();
      line = { name: this.options.seriesName(labels), column };
      this.lines.set(key, line);
      this.layoutChanged = true;
    }
    return line.column;
  }

  private live(samples: readonly { labels: Record<string, string>; ts: number; value: number }[]): void {
    for (const s of samples) this.table.add(this.column(s.labels), s.ts, s.value, this.resolution);
    this.changed();
  }

  private changed(): void {
    if (!this.destroyed) frames.request(this.update);
  }

  /** The chart-wide part of a redraw: trim to the window, rebuild the panes for new lines, queue each pane. */
  private readonly update = (): void => {
    if (this.destroyed) return;
    const started = performance.now();
    this.table.trim(rangeWindow(this.options.range, Date.now()).from);
    if (this.layoutChanged) this.buildPanes();
    else for (const pane of this.panes) this.queue(pane);
    this.element.dataset.points = String(this.table.points);
    this.marks = this.anomalyMarks();
    this.element.dataset.anomalies = String(this.marks.length);
    if (!this.options.compact) this.noteAnomalies();
    this.element.dataset.series = String(this.lines.size);
    LiveChart.prepareTimes.push(performance.now() - started);
    if (LiveChart.prepareTimes.length > 10_000) LiveChart.prepareTimes.splice(0, 5_000);
  };

  private queue(pane: Pane): void {
    if (pane.visible) frames.request(pane.update);
    else pane.stale = true;
  }

  private destroyPanes(): void {
    for (const pane of this.panes) {
      frames.cancel(pane.update);
      this.visibility?.unobserve(pane.element);
      pane.plot.destroy();
      pane.element.remove();
    }
    this.panes = [];
  }

  /** Lines sorted by name, cut into panes of LINES_PER_PLOT, one uPlot instance each. */
  private buildPanes(): void {
    this.layoutChanged = false;
    this.destroyPanes();
    this.readColours();
    this.element.dataset.builds = String(++this.builds);
    const sorted = [...this.lines.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const total = sorted.length;
    const compact = !!this.options.compact;
    const paneCount = Math.max(1, Math.ceil(total / LINES_PER_PLOT));
    this.element.dataset.panes = String(paneCount);
    this.visibility ??= typeof IntersectionObserver === 'undefined' ? undefined : new IntersectionObserver((entries) => this.visibilityChanged(entries));
    for (let p = 0; p < paneCount; p++) {
      const slice = sorted.slice(p * LINES_PER_PLOT, (p + 1) * LINES_PER_PLOT);
      const element = document.createElement('div');
      element.className = 'pane';
      if (paneCount > 1) {
        const label = document.createElement('div');
        label.className = 'pane-label muted';
        label.textContent = `series ${p * LINES_PER_PLOT + 1}–${p * LINES_PER_PLOT + slice.length} of ${total}`;
        element.append(label);
      }
      this.element.append(element);
      const lines = slice.map((l) => l.column);
      const height = this.options.height ?? (compact ? 36 : paneCount > 1 ? 150 : 200);
      const plot = this.createPlot(element, slice.map((l) => l.name), total, height, lines);
      const pane: Pane = { element, plot, lines, visible: !this.visibility, stale: false, update: () => this.drawPane(pane) };
      this.panes.push(pane);
      this.visibility?.observe(element);
    }
    this.observeSize();
  }

  private visibilityChanged(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const pane = this.panes.find((p) => p.element === entry.target);
      if (!pane) continue;
      pane.visible = entry.isIntersecting;
      if (pane.visible && pane.stale) {
        pane.stale = false;
        frames.request(pane.update);
      }
    }
  }

  /** setData and the canvas draw in one go (uPlot's batch), so the scheduler's budget sees the whole cost. */
  private drawPane(pane: Pane): void {
    if (this.destroyed) return;
    const started = performance.now();
    pane.plot.batch(() => pane.plot.setData(this.table.data(pane.lines) as uPlot.AlignedData));
    LiveChart.updateTimes.push(performance.now() - started);
    if (LiveChart.updateTimes.length > 10_000) LiveChart.updateTimes.splice(0, 5_000);
  }

  /** Under the title, in words: how many anomalies the chart marks, and how. */
  private noteAnomalies(): void {
    let note = this.element.querySelector<HTMLElement>('.anomaly-note');
    if (this.marks.length === 0) {
      note?.remove();
      return;
    }
    if (!note) {
      note = document.createElement('div');
      note.className = 'anomaly-note';
      this.element.querySelector('figcaption')?.after(note);
    }
    const text = `▲▼ ${this.marks.length} ${this.marks.length === 1 ? 'anomaly' : 'anomalies'} (triangle: the value, shaded: the expected range)`;
    if (note.textContent !== text) note.textContent = text;
  }

  private anomalyMarks(): typeof this.marks {
    const from = rangeWindow(this.options.range, Date.now()).from;
    return this.anomalies.since(from).flatMap((a) => {
      const line = this.lines.get(labelsKey(a.labels));
      return line ? [{ column: line.column, at: a.at, value: a.value, low: a.expected.low, center: a.expected.center, high: a.expected.high, direction: a.direction }] : [];
    });
  }

  /**
   * Each anomaly of a line in this pane: the expected band (low–high) as a shaded bar at its time,
   * the band's centre dashed, and the value as a triangle pointing the way it left the band.
   */
  private drawAnomalies(u: uPlot, lines: readonly number[]): void {
    const marks = this.marks.filter((m) => lines.includes(m.column));
    if (marks.length === 0) return;
    const { ctx, bbox } = u;
    const dpr = window.devicePixelRatio || 1; // uPlot's canvas is in device pixels
    const half = 7 * dpr;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    for (const m of marks) {
      const x = u.valToPos(m.at / 1000, 'x', true);
      const [yLow, yHigh, yCenter, yValue] = [m.low, m.high, m.center, m.value].map((v) => u.valToPos(v, 'y', true));
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = this.colours.anomaly;
      ctx.fillRect(x - half, Math.min(yLow, yHigh), 2 * half, Math.abs(yLow - yHigh));
      ctx.globalAlpha = 1;
      ctx.strokeStyle = this.colours.anomaly;
      ctx.lineWidth = dpr;
      ctx.setLineDash([3 * dpr, 2 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x - half, yCenter);
      ctx.lineTo(x + half, yCenter);
      ctx.stroke();
      ctx.setLineDash([]);
      const tip = m.direction === 'high' ? -1 : 1;
      ctx.beginPath();
      ctx.moveTo(x, yValue + tip * half);
      ctx.lineTo(x - half, yValue - tip * half * 0.6);
      ctx.lineTo(x + half, yValue - tip * half * 0.6);
      ctx.closePath();
      ctx.fillStyle = this.colours.anomaly;
      ctx.fill();
    }
    ctx.restore();
  }

  private xRange(): [number, number] {
    const { from, to } = rangeWindow(this.options.range, Date.now());
    return [from / 1000, to / 1000];
  }

  private createPlot(into: HTMLElement, names: string[], total: number, height: number, lines: number[]): uPlot {
    const unit = this.options.unit;
    const compact = !!this.options.compact;
    const many = total > MANY_LINES;
    const axisColour = () => this.colours.axis;
    const gridColour = () => this.colours.grid;
    const width = Math.max(compact ? 120 : 280, this.element.clientWidth || (compact ? 160 : 480));
    const opts: uPlot.Options = {
      width,
      height,
      // A legend of hundreds of lines says nothing and costs a DOM row each: past 30 series the cursor tooltip is it.
      legend: { show: !compact && !many },
      cursor: { show: !compact },
      hooks: { draw: [(u) => this.drawAnomalies(u, lines)] },
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
    return new uPlot(opts, this.table.data(lines) as uPlot.AlignedData, into);
  }

  private observeSize(): void {
    if (this.options.compact || typeof ResizeObserver === 'undefined' || this.resizeObserver) return;
    this.resizeObserver = new ResizeObserver(() => {
      const w = this.element.clientWidth;
      for (const { plot } of this.panes) if (w > 0 && Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: plot.height });
    });
    this.resizeObserver.observe(this.element);
  }
}
