import type { MetricSample } from '../metric-event';
import type { MetricDefinition } from './metric-definition';

/**
 * Builds a sample of a catalogued metric. Labels must be exactly the catalogued ones: a mismatch is
 * a programming error (TypeError), caught by the tests rather than shipped to users.
 */
export function sample(definition: MetricDefinition, labels: Record<string, string>, value: number): MetricSample {
  const given = Object.keys(labels);
  if (given.length !== definition.labels.length || !definition.labels.every((label) => label in labels)) {
    throw new TypeError(`${definition.name} takes labels [${definition.labels.join(', ')}], got [${given.join(', ')}]`);
  }
  return { metric: definition.name, labels, value };
}
