import { parseSeriesParams, parseStep, parseTime, SeriesParameterError } from './series-params';

describe('series parameters', () => {
  const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
  const sut = (query: Record<string, unknown>) => parseSeriesParams({ metric: 'kafka_broker_up', ...query }, { maxRangeDays: 31 }, NOW);
  /** The refusal as "parameter: reason", or 'accepted'. */
  const refusal = (query: Record<string, unknown>) => {
    try {
      sut(query);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof SeriesParameterError)) throw error;
      expect(error.message).toBe(`${error.parameter}: ${error.reason}`);
      return error.message;
    }
  };

  describe('from and to', () => {
    it.each([
      ['2025-01-01T00:00:00Z', Date.UTC(2025, 0, 1)],
      ['2025-01-01T02:30:00+02:00', Date.UTC(2025, 0, 1, 0, 30)],
      ['2025-01-01T02:30:00-0130', Date.UTC(2025, 0, 1, 4, 0)],
      ['2025-01-01T00:00:01.5Z', Date.UTC(2025, 0, 1, 0, 0, 1, 500)],
      ['2025-01-01T00:00:01.123456789Z', Date.UTC(2025, 0, 1, 0, 0, 1, 123)],
      ['2025-01-01T10:15Z', Date.UTC(2025, 0, 1, 10, 15)],
      ['2025-01-01', Date.UTC(2025, 0, 1)],
      ['1735689600000', 1735689600000],
      ['0', 0],
    ])('reads %s', (text, expected) => {
      expect(parseTime(text)).toBe(expected);
    });

    it.each(['2025-01-01T00:00:00', '2025-01-01 00:00:00Z', 'yesterday', '-5', '1.5', '2025-02-30', '2025-13-01', '1e12', '99999999999999999', ''])('refuses %j', (text) => {
      expect(() => parseTime(text)).toThrow();
    });

    it('defaults to the last hour, and `to` to now', () => {
      expect(sut({})).toMatchObject({ fromMs: NOW - 3_600_000, toMs: NOW });
      expect(sut({ from: String(NOW - 60_000) })).toMatchObject({ fromMs: NOW - 60_000, toMs: NOW });
      expect(sut({ to: String(NOW - 60_000) })).toMatchObject({ fromMs: NOW - 3_660_000, toMs: NOW - 60_000 });
    });

    it('names the parameter and why', () => {
      expect(refusal({ from: 'yesterday' })).toMatch(/^from: expected ISO-8601 with a time zone/);
      expect(refusal({ to: '2025-01-01T00:00:00' })).toMatch(/^to: expected ISO-8601/);
      expect(refusal({ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toMatch(/^from: must be before to/);
      expect(refusal({ from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toMatch(/^from: must be before to/);
      expect(refusal({ from: '2024-11-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toBe(
        'from: the range from..to is 61d, more than the 31 days allowed (GATEWAY_SERIES_MAX_RANGE_DAYS)',
      );
      expect(refusal({ from: '2024-12-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toBe('accepted');
    });
  });

  describe('step', () => {
    it.each([
      ['10s', 10_000],
      ['1m', 60_000],
      ['5m', 300_000],
      ['1h', 3_600_000],
      ['1d', 86_400_000],
      ['60000', 60_000],
      ['2000ms', 2000],
    ])('reads %s as %i ms', (text, ms) => {
      expect(parseStep(text)).toBe(ms);
    });

    it.each([
      ['500ms', /whole seconds/],
      ['1500', /whole seconds/],
      ['0s', /whole seconds/],
      ['1.5m', /a duration like/],
      ['-1m', /a duration like/],
      ['10 s', /a duration like/],
      ['1w', /a duration like/],
      ['400d', /at most 366d/],
    ])('refuses %s', (text, why) => {
      expect(() => parseStep(text)).toThrow(why);
      expect(refusal({ step: text })).toMatch(/^step: /);
    });
  });

  describe('metric, cluster and labels', () => {
    it('requires a catalogued metric', () => {
      expect(refusal({ metric: undefined })).toBe('metric: is required');
      expect(refusal({ metric: '' })).toBe('metric: is required');
      expect(refusal({ metric: 'kafka_brokers_upp' })).toBe('metric: unknown metric "kafka_brokers_upp" (the catalogue is in docs/metrics.md)');
    });

    it('refuses a parameter given twice, except labels', () => {
      expect(refusal({ metric: ['kafka_broker_up', 'kafka_broker_up'] })).toBe('metric: must be given once');
      expect(refusal({ step: ['1m', '5m'] })).toBe('step: must be given once');
      expect(sut({ metric: 'kafka_broker_topic_bytes_in_per_second', labels: ['broker:1', 'topic:orders'] }).labels.map((l) => l.name)).toEqual(['broker', 'topic']);
    });

    it('refuses unknown parameters, but lets the API key through', () => {
      expect(refusal({ metrc: 'x' })).toBe('metrc: unknown parameter (expected metric, cluster, labels, from, to, step)');
      expect(refusal({ access_token: 'k'.repeat(20) })).toBe('accepted');
    });

    it('splits label filters on commas outside braces, and the name at the first colon', () => {
      const labels = sut({ metric: 'kafka_broker_topic_bytes_in_per_second', labels: 'broker:{1,2},topic:orders\\,eu' }).labels;
      expect(labels).toEqual([
        { name: 'broker', pattern: '{1,2}', exact: false },
        { name: 'topic', pattern: 'orders,eu', exact: true },
      ]);
      expect(sut({ metric: 'zookeeper_server_up', labels: 'server:zk1:2181' }).labels).toEqual([{ name: 'server', pattern: 'zk1:2181', exact: true }]);
    });

    it('tells exact values from globs the way the WebSocket matcher does', () => {
      const exact = (pattern: string) => sut({ metric: 'kafka_topic_partitions', labels: `topic:${pattern}` }).labels[0].exact;
      expect(exact('orders.eu-1_x')).toBe(true);
      expect(exact('orders-*')).toBe(false);
      expect(exact('orders-?')).toBe(false);
      expect(exact('orders-[12]')).toBe(false);
      expect(exact('!orders')).toBe(false);
      expect(exact('*')).toBe(false);
    });

    it('applies the same predicate as WebSocket subscriptions', () => {
      const { predicate } = sut({ metric: 'kafka_broker_up', cluster: 'prod-*', labels: 'broker:{1,2}' });
      expect(predicate({ cluster: 'prod-eu', metric: 'kafka_broker_up', labels: { broker: '2' } })).toBe(true);
      expect(predicate({ cluster: 'prod-eu', metric: 'kafka_broker_up', labels: { broker: '3' } })).toBe(false);
      expect(predicate({ cluster: 'staging', metric: 'kafka_broker_up', labels: { broker: '1' } })).toBe(false);
      // `*` only asks for the label (checked in SQL); the predicate lets it through.
      expect(sut({ labels: 'broker:*' }).predicate({ cluster: 'c', metric: 'kafka_broker_up', labels: { broker: '7' } })).toBe(true);
    });

    it('refuses labels the metric does not have, malformed pairs and bad patterns, naming labels or cluster', () => {
      expect(refusal({ labels: 'topic:orders' })).toBe('labels: kafka_broker_up has no label "topic" (its labels: broker)');
      expect(refusal({ metric: 'kafka_brokers_up', labels: 'broker:1' })).toBe('labels: kafka_brokers_up has no label "broker" (its labels: none)');
      expect(refusal({ labels: 'broker' })).toBe('labels: expected name:pattern pairs, got "broker"');
      expect(refusal({ labels: 'broker:' })).toBe('labels: label "broker" has an empty pattern (use * for any value)');
      expect(refusal({ labels: 'broker:1,broker:2' })).toBe('labels: label "broker" is given twice');
      expect(refusal({ labels: 'broker:[12' })).toMatch(/^labels: labels\.broker: "\[12" is not a valid pattern/);
      expect(refusal({ cluster: 'prod-{eu' })).toMatch(/^cluster: "prod-\{eu" is not a valid pattern/);
    });
  });
});
