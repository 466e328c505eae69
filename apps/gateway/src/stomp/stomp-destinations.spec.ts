import { BadDestinationError, parseDestination } from './stomp-destinations';

describe('parseDestination', () => {
  const broker = { cluster: 'prod', metric: 'kafka_broker_up', labels: { broker: '1' } };
  const zk = { cluster: 'prod', metric: 'zookeeper_avg_latency', labels: { server: 'zk1' } };

  it('maps /topic/kafka to the cluster’s non-ZooKeeper metrics, optionally one metric', () => {
    const all = parseDestination('/topic/kafka/prod');
    expect(all.channel).toBe('metrics');
    expect([all.predicate(broker), all.predicate(zk)]).toEqual([true, false]);
    expect(parseDestination('/topic/kafka/prod/kafka_broker_*').predicate(broker)).toBe(true);
    expect(parseDestination('/topic/kafka/staging').predicate(broker)).toBe(false);
  });

  it('maps /topic/zookeeper to the zookeeper_* metrics only', () => {
    const sut = parseDestination('/topic/zookeeper/prod');
    expect([sut.predicate(broker), sut.predicate(zk)]).toEqual([false, true]);
  });

  it('maps /topic/alarm and /topic/rollup to their channels', () => {
    expect(parseDestination('/topic/alarm').channel).toBe('alerts');
    expect(parseDestination('/topic/alarm/prod').predicate({ cluster: 'other', metric: 'broker-down', labels: {} })).toBe(false);
    expect(parseDestination('/topic/rollup/prod/kafka_*').channel).toBe('rollups');
  });

  it('maps /topic/anomaly to the anomalies, optionally of one cluster and metric', () => {
    const anomaly = { cluster: 'prod', metric: 'kafka_request_latency', labels: { broker: '1' } };
    expect(parseDestination('/topic/anomaly').channel).toBe('anomalies');
    expect(parseDestination('/topic/anomaly').predicate(anomaly)).toBe(true);
    expect(parseDestination('/topic/anomaly/prod').predicate(anomaly)).toBe(true);
    expect(parseDestination('/topic/anomaly/staging').predicate(anomaly)).toBe(false);
    expect(parseDestination('/topic/anomaly/prod/zookeeper_*').predicate(anomaly)).toBe(false);
  });

  it('filters by the labels header', () => {
    const sut = parseDestination('/topic/kafka/prod', 'broker=2;topic=orders-*');
    expect(sut.predicate(broker)).toBe(false);
    expect(sut.predicate({ cluster: 'prod', metric: 'm', labels: { broker: '2', topic: 'orders-eu' } })).toBe(true);
  });

  it.each(['/queue/x', '/topic', '/topic/kafka', '/topic/nowhere/prod', '/topic/kafka/prod/m/extra', '/topic/alarm/prod/extra', '/topic/anomaly/prod/m/extra', 'topic/kafka/prod'])('refuses %s, listing the destinations', (destination) => {
    expect(() => parseDestination(destination)).toThrow(BadDestinationError);
    expect(() => parseDestination(destination)).toThrow(/destinations are \/topic\/kafka/);
  });

  it('refuses a malformed labels header or pattern', () => {
    expect(() => parseDestination('/topic/kafka/prod', 'broker')).toThrow(/labels header/);
    expect(() => parseDestination('/topic/kafka/prod/kafka_[')).toThrow(/not a valid pattern/);
  });
});
