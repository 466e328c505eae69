import { LiveSample, MetricDefinition, MetricType } from '@doflamingo/contracts';

/**
 * The Prometheus text exposition format, version 0.0.4, of the latest value of every live series,
 * so Prometheus (and Grafana on top of it) can scrape what Doflamingo watches.
 *
 * Written by hand rather than with prom-client: prom-client's registry is built for an app's own
 * instruments (declare a metric once, update it in place, let it render the current value). Here
 * the series are someone else's — up to hundreds of thousands, appearing and expiring with brokers,
 * topics and groups, each with its own collection timestamp — and would have to be re-declared and
 * copied into the registry on every scrape just to be printed. The format itself is small
 * (https://prometheus.io/docs/instrumenting/exposition_formats/); its one subtle part, escaping, is
 * unit-tested.
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The catalogue's types: a rate computed by the agent is a gauge to Prometheus. */
export function prometheusType(type: MetricType | undefined): 'counter' | 'gauge' | 'untyped' {
  if (type === 'counter') return 'counter';
  if (type === 'gauge' || type === 'rate') return 'gauge';
  return 'untyped';
}

/** Label values: backslash, double quote and line feed are escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '"' ? '\\"' : '\\n'));
}

/** HELP text: backslash and line feed are escaped (a double quote is not). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (ch) => (ch === '\\' ? '\\\\' : '\\n'));
}

/** Go's float syntax, which Prometheus parses: NaN, +Inf, -Inf, otherwise JavaScript's shortest form (1e+21 included). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Renders samples grouped into one family per metric (the format requires a metric's lines to be
 * together), families sorted by name. Each line gets a `cluster` label first; a sample that already
 * has a label of that name keeps it as `exported_cluster`, as Prometheus does with clashing labels.
 * Timestamps are the collection times, in milliseconds.
 */
export function renderExposition(samples: Iterable<LiveSample>, catalogue: ReadonlyMap<string, MetricDefinition>): string {
  const families = new Map<string, string[]>();
  for (const sample of samples) {
    if (!METRIC_NAME.test(sample.metric)) continue;
    let pairs = `cluster="${escapeLabelValue(sample.cluster)}"`;
    for (const name of Object.keys(sample.labels)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) continue;
      pairs += `,${name === 'cluster' ? 'exported_cluster' : name}="${escapeLabelValue(sample.labels[name])}"`;
    }
    const line = `${sample.metric}{${pairs}} ${formatValue(sample.value)} ${Math.round(sample.ts)}`;
    const lines = families.get(sample.metric);
    if (lines) lines.push(line);
    else families.set(sample.metric, [line]);
  }
  const out: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const definition = catalogue.get(name);
    if (definition) out.push(`# HELP ${name} ${escapeHelp(definition.help)}`);
    out.push(`# TYPE ${name} ${prometheusType(definition?.type)}`);
    for (const line of families.get(name)!) out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
