import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricSampleSchema } from '../metric-event';
import { METRIC_GROUPS } from './index';
import { renderCatalogue } from './render-catalogue';

describe('metric catalogue', () => {
  const metrics = METRIC_GROUPS.flatMap((group) => group.metrics);

  it('docs/metrics.md is current (regenerate with "npm run docs:metrics")', () => {
    const onDisk = readFileSync(join(__dirname, '../../../../docs/metrics.md'), 'utf8');
    expect(onDisk).toBe(renderCatalogue(METRIC_GROUPS));
  });

  it('has unique metric names', () => {
    const names = metrics.map((metric) => metric.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('uses names and labels the metric event contract accepts', () => {
    for (const metric of metrics) {
      const labels = Object.fromEntries(metric.labels.map((label) => [label, 'x']));
      expect(metricSampleSchema.safeParse({ metric: metric.name, labels, value: 0 }).success).toBe(true);
    }
  });

  it('says what every metric means and what is healthy', () => {
    for (const metric of metrics) {
      expect(metric.help.length).toBeGreaterThan(10);
      expect(metric.healthy.length).toBeGreaterThan(0);
    }
  });

  it('names counters with _total, as Prometheus users expect (Kafka offsets keep their own name)', () => {
    for (const metric of metrics) {
      const countsUp = metric.name.endsWith('_total') || (metric.type === 'counter' && metric.name.endsWith('_offset'));
      expect([metric.name, countsUp]).toEqual([metric.name, metric.type === 'counter']);
    }
  });
});
