import { LiveSample, metricCatalogue } from '@doflamingo/contracts';
import { parsePrometheusText } from '../../../agent/src/collectors/jmx/prometheus-text';
import { escapeHelp, escapeLabelValue, formatValue, prometheusType, renderExposition } from './prometheus-exposition';

describe('Prometheus exposition', () => {
  const catalogue = metricCatalogue();
  const sample = (metric: string, labels: Record<string, string>, value: number, cluster = 'prod-eu', ts = 1735689600123): LiveSample => ({ cluster, metric, labels, value, ts });

  describe('escaping (exposition format 0.0.4)', () => {
    it.each([
      ['plain', 'plain'],
      ['back\\slash', 'back\\\\slash'],
      ['say "hi"', 'say \\"hi\\"'],
      ['two\nlines', 'two\\nlines'],
      ['\\n is not a newline', '\\\\n is not a newline'],
      ['tab\tand ünïcødé, {braces}=ok', 'tab\tand ünïcødé, {braces}=ok'],
      ['\\"\n', '\\\\\\"\\n'],
    ])('label value %j is written %j', (value, written) => {
      expect(escapeLabelValue(value)).toBe(written);
    });

    it('escapes backslash and line feed in HELP, but not double quotes', () => {
      expect(escapeHelp('a "b" c\\d\ne')).toBe('a "b" c\\\\d\\ne');
    });

    it('writes special values the way Prometheus parses them', () => {
      expect([NaN, Infinity, -Infinity, 0, -1.5, 1e21, 5e-7].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '-1.5', '1e+21', '5e-7']);
    });
  });

  it('types counters as counter, and gauges and agent-computed rates as gauge', () => {
    expect(prometheusType('counter')).toBe('counter');
    expect(prometheusType('gauge')).toBe('gauge');
    expect(prometheusType('rate')).toBe('gauge');
    expect(prometheusType(undefined)).toBe('untyped');
  });

  it('renders one family per metric with HELP, TYPE, a cluster label and millisecond timestamps', () => {
    const text = renderExposition(
      [
        sample('kafka_broker_up', { broker: '1' }, 1),
        sample('kafka_topic_messages_in_per_second', { topic: 'orders' }, 12.5, 'prod-eu', 1735689605000),
        sample('kafka_broker_up', { broker: '2' }, 0, 'prod-us'),
        sample('kafka_partition_log_end_offset', { topic: 'o', partition: '0' }, 42),
      ],
      catalogue,
    );
    expect(text).toBe(
      [
        `# HELP kafka_broker_up ${catalogue.get('kafka_broker_up')!.help}`,
        '# TYPE kafka_broker_up gauge',
        'kafka_broker_up{cluster="prod-eu",broker="1"} 1 1735689600123',
        'kafka_broker_up{cluster="prod-us",broker="2"} 0 1735689600123',
        `# HELP kafka_partition_log_end_offset ${catalogue.get('kafka_partition_log_end_offset')!.help}`,
        '# TYPE kafka_partition_log_end_offset counter',
        'kafka_partition_log_end_offset{cluster="prod-eu",topic="o",partition="0"} 42 1735689600123',
        `# HELP kafka_topic_messages_in_per_second ${catalogue.get('kafka_topic_messages_in_per_second')!.help}`,
        '# TYPE kafka_topic_messages_in_per_second gauge',
        'kafka_topic_messages_in_per_second{cluster="prod-eu",topic="orders"} 12.5 1735689605000',
        '',
      ].join('\n'),
    );
  });

  it('reads back exactly, awkward label values included (parsed by the agent\'s own exposition parser)', () => {
    const awkward = ['a"b', 'c\\d', 'e\nf', '\\"', 'x,y="z"}', '', 'tab\there'];
    const samples = awkward.map((group, i) => sample('kafka_consumer_group_lag', { group }, i * 1.25, `cluster "${i}"\\`));
    const parsed = parsePrometheusText(renderExposition(samples, catalogue));
    expect(parsed.invalidLines).toBe(0);
    expect(parsed.samples).toEqual(samples.map((s) => ({ name: s.metric, labels: { cluster: s.cluster, ...s.labels }, value: s.value })));
  });

  it('keeps a sample\'s own cluster label as exported_cluster, and marks unknown metrics untyped', () => {
    const text = renderExposition([sample('someone_elses_metric', { cluster: 'inner' }, 3)], catalogue);
    expect(text).toBe('# TYPE someone_elses_metric untyped\nsomeone_elses_metric{cluster="prod-eu",exported_cluster="inner"} 3 1735689600123\n');
  });

  it('renders nothing for an empty store', () => {
    expect(renderExposition([], catalogue)).toBe('');
  });
});
