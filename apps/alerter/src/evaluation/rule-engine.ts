import picomatch from 'picomatch';
import { AlertEvent, MetricBatch } from '@doflamingo/contracts';
import { AlertRule } from '../rules/alert-rule';
import { AlertLifecycle, Reading } from './alert-lifecycle';
import { increase, Point, predictLinear } from './series-inputs';

interface SeriesState {
  cluster: string;
  labels: Record<string, string>;
  /** Oldest first; only the latest for `input: value`, the rule's window otherwise. */
  points: Point[];
}

interface RuleState {
  rule: AlertRule;
  matches: (cluster: string, labels: Record<string, string>) => boolean;
  series: Map<string, SeriesState>;
  lifecycle: AlertLifecycle;
}

/**
 * Evaluates the rules on the metric stream: `ingest` keeps, per rule, what each matching series
 * last reported (its window, for increase and predicted rules); `evaluate` turns that into one
 * reading per alert instance and steps each instance's lifecycle. Time is the caller's clock, so
 * "for" and "clearFor" are wall-clock durations like Prometheus's, and tests can drive it.
 */
export class RuleEngine {
  private readonly states: RuleState[];
  private readonly byMetric = new Map<string, RuleState[]>();
  private readonly orphans: AlertEvent[] = [];

  constructor(rules: AlertRule[]) {
    this.states = rules.map((rule) => ({ rule, matches: labelMatcher(rule), series: new Map(), lifecycle: new AlertLifecycle(rule) }));
    for (const state of this.states) this.byMetric.set(state.rule.metric, [...(this.byMetric.get(state.rule.metric) ?? []), state]);
  }

  get rules(): AlertRule[] {
    return this.states.map((state) => state.rule);
  }

  /** How many series the rules are watching (bounded by what the agents report for the rules' metrics). */
  get watchedSeries(): number {
    return this.states.reduce((total, state) => total + state.series.size, 0);
  }

  openAlerts(): number {
    return this.states.reduce((total, state) => total + state.lifecycle.size, 0);
  }

  ingest(batch: MetricBatch): void {
    for (const sample of batch.samples) {
      const states = this.byMetric.get(sample.metric);
      if (!states) continue;
      for (const state of states) {
        if (!state.matches(batch.cluster, sample.labels)) continue;
        const key = seriesKey(batch.cluster, sample.labels);
        let series = state.series.get(key);
        if (!series) {
          series = { cluster: batch.cluster, labels: sample.labels, points: [] };
          state.series.set(key, series);
        }
        const last = series.points[series.points.length - 1];
        if (last && batch.timestamp <= last.ts) continue; // a redelivered or late batch
        const point = { ts: batch.timestamp, value: sample.value };
        if (state.rule.input === 'value') series.points[0] = point;
        else {
          series.points.push(point);
          const oldest = batch.timestamp - state.rule.window!;
          while (series.points.length > 0 && series.points[0].ts < oldest) series.points.shift();
        }
      }
    }
  }

  /** Re-opens alerts that were firing when the alerter stopped, so a restart neither repeats nor forgets them. */
  restore(firing: AlertEvent[], now: number): void {
    for (const event of firing) {
      const state = this.states.find((s) => s.rule.name === event.rule);
      if (state) state.lifecycle.restore(event, now);
      else this.orphans.push({ ...event, state: 'resolved', at: now, message: `Resolved (rule ${event.rule} no longer exists): ${event.message}` });
    }
  }

  evaluate(now: number): AlertEvent[] {
    const events = this.orphans.splice(0);
    for (const state of this.states) {
      const readings = this.readings(state, now);
      for (const reading of readings.values()) {
        const event = state.lifecycle.step(reading, now);
        if (event) events.push(event);
      }
      // Open alerts whose series reported nothing fresh: "no data" counts as the condition gone.
      for (const alert of [...state.lifecycle.openAlerts]) {
        if (readings.has(alert.id)) continue;
        const event = state.lifecycle.step({ id: alert.id, cluster: alert.cluster, labels: alert.labels, value: undefined }, now);
        if (event) events.push(event);
      }
    }
    return events;
  }

  private readings(state: RuleState, now: number): Map<string, Reading> {
    const { rule } = state;
    const perSeries: Array<{ cluster: string; labels: Record<string, string>; value: number }> = [];
    for (const [key, series] of state.series) {
      const latest = series.points[series.points.length - 1];
      if (!latest || now - latest.ts > rule.staleAfter) {
        state.series.delete(key);
        continue;
      }
      const value = inputValue(rule, series.points, now);
      if (value !== undefined) perSeries.push({ cluster: series.cluster, labels: series.labels, value });
    }
    const readings = new Map<string, Reading>();
    if (!rule.aggregate) {
      for (const s of perSeries) {
        const id = alertId(rule.name, s.cluster, s.labels);
        readings.set(id, { id, cluster: s.cluster, labels: s.labels, value: s.value });
      }
      return readings;
    }
    const groups = new Map<string, { cluster: string; labels: Record<string, string>; values: number[] }>();
    for (const s of perSeries) {
      const labels = Object.fromEntries(rule.by.filter((name) => name in s.labels).map((name) => [name, s.labels[name]]));
      const id = alertId(rule.name, s.cluster, labels);
      const group = groups.get(id) ?? { cluster: s.cluster, labels, values: [] };
      group.values.push(s.value);
      groups.set(id, group);
    }
    for (const [id, group] of groups) readings.set(id, { id, cluster: group.cluster, labels: group.labels, value: aggregate(rule.aggregate, group.values) });
    return readings;
  }
}

function inputValue(rule: AlertRule, points: Point[], now: number): number | undefined {
  if (rule.input === 'value') return points[points.length - 1].value;
  if (rule.input === 'increase') return increase(points);
  return predictLinear(points, now + rule.horizon!, rule.window! / 2);
}

function aggregate(kind: NonNullable<AlertRule['aggregate']>, values: number[]): number {
  switch (kind) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
  }
}

function labelMatcher(rule: AlertRule): (cluster: string, labels: Record<string, string>) => boolean {
  const cluster = picomatch(rule.cluster);
  const labels = Object.entries(rule.labels).map(([name, glob]) => [name, picomatch(glob)] as const);
  return (c, l) => cluster(c) && labels.every(([name, matches]) => l[name] !== undefined && matches(l[name]));
}

function sortedLabelText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(',');
}

function seriesKey(cluster: string, labels: Record<string, string>): string {
  return `${cluster}\u0000${sortedLabelText(labels)}`;
}

/** Readable and stable: `kafka-broker-down/local/broker=2`. */
export function alertId(rule: string, cluster: string, labels: Record<string, string>): string {
  const text = sortedLabelText(labels);
  return text ? `${rule}/${cluster}/${text}` : `${rule}/${cluster}`;
}
