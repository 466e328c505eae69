/**
 * A metric in the catalogue: what users read in docs/metrics.md, and what collectors build samples
 * from. Collectors can only emit catalogued metrics, with exactly the catalogued labels.
 */
export type MetricType = 'gauge' | 'counter' | 'rate';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  /** Human unit: bytes, seconds, messages/s, count, ratio, percent, boolean, state… */
  unit: string;
  labels: readonly string[];
  /** What it means, one or two sentences. */
  help: string;
  /** What a healthy value looks like. */
  healthy: string;
}

/** The metrics of one collector. */
export interface MetricGroup {
  collector: string;
  title: string;
  metrics: readonly MetricDefinition[];
}

/** Declares a catalogue entry, keeping its literal type (so `labels` stay checkable). */
export const defineMetric = <T extends MetricDefinition>(definition: T): T => definition;
