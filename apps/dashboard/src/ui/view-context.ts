import type { DoflamingoClient } from '@doflamingo/client';
import type { RestApi } from '../core/rest-api';
import type { TimeRange } from '../core/time-range';
import { LiveChart, type LiveChartOptions } from './live-chart';

/** What a view gets: where to draw, what to show, and the gateway. Everything it starts is stopped by `dispose()`. */
export class ViewContext {
  private readonly disposers: (() => void)[] = [];
  private readonly charts = new Set<LiveChart>();
  disposed = false;

  constructor(
    readonly root: HTMLElement,
    readonly cluster: string,
    private currentRange: TimeRange,
    readonly params: string[],
    readonly api: RestApi,
    readonly client: DoflamingoClient,
    /** Builds a link to another view, keeping cluster and range (the panel has no links: undefined). */
    readonly link: ((view: string, ...params: string[]) => string) | undefined,
  ) {}

  get range(): TimeRange {
    return this.currentRange;
  }

  /** Another time range for the same view: every chart reloads its history in place (nothing is rebuilt). */
  setRange(range: TimeRange): void {
    this.currentRange = range;
    for (const chart of this.charts) void chart.setRange(range);
  }

  chart(options: Omit<LiveChartOptions, 'cluster' | 'range'>, into: HTMLElement): LiveChart {
    const chart = new LiveChart({ ...options, cluster: this.cluster, range: this.currentRange }, this.api, this.client);
    into.append(chart.element);
    this.charts.add(chart);
    this.onDispose(() => chart.destroy());
    void chart.start();
    return chart;
  }

  /** Runs `task` now and every `ms` until disposed; a failing run shows in `errorTarget` and the next one tries again. */
  every(ms: number, task: () => Promise<void>, errorTarget?: HTMLElement): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (this.disposed) return;
      try {
        await task();
        if (errorTarget) errorTarget.hidden = true;
      } catch (error) {
        if (errorTarget && !this.disposed) {
          errorTarget.hidden = false;
          errorTarget.textContent = `Could not load: ${(error as Error).message}`;
        }
      }
      if (!this.disposed) timer = setTimeout(run, ms);
    };
    this.onDispose(() => clearTimeout(timer));
    void run();
  }

  onDispose(fn: () => void): void {
    this.disposers.push(fn);
  }

  dispose(): void {
    this.disposed = true;
    for (const fn of this.disposers.splice(0)) fn();
  }
}

export type View = (ctx: ViewContext) => void;
