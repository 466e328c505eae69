import { BadPatternError, compileFilter } from './series-filter';

describe('compileFilter', () => {
  const sample = (metric: string, labels: Record<string, string> = {}, cluster = 'prod-eu') => ({ cluster, metric, labels });

  it('matches everything when the filter is empty', () => {
    expect(compileFilter({})(sample('anything'))).toBe(true);
  });

  it('matches cluster, metric and label globs, all of them', () => {
    const sut = compileFilter({ cluster: 'prod-*', metric: 'kafka_broker_*', labels: { broker: '{1,2}' } });
    expect(sut(sample('kafka_broker_up', { broker: '1' }))).toBe(true);
    expect(sut(sample('kafka_broker_up', { broker: '3' }))).toBe(false);
    expect(sut(sample('kafka_topic_partitions', { broker: '1' }))).toBe(false);
    expect(sut(sample('kafka_broker_up', { broker: '1' }, 'staging'))).toBe(false);
  });

  it('does not match a series that lacks a filtered label', () => {
    expect(compileFilter({ labels: { topic: '*' } })(sample('m', { broker: '1' }))).toBe(false);
    expect(compileFilter({ labels: { topic: '*' } })(sample('m', { topic: 'orders' }))).toBe(true);
  });

  it('treats "/" in values as an ordinary character', () => {
    expect(compileFilter({ labels: { dir: '/var/kafka-*' } })(sample('m', { dir: '/var/kafka-logs/1' }))).toBe(true);
    expect(compileFilter({ labels: { dir: '*logs*' } })(sample('m', { dir: '/var/kafka-logs/1' }))).toBe(true);
  });

  it('matches the whole value, not a part of it', () => {
    expect(compileFilter({ metric: 'kafka' })(sample('kafka_broker_up'))).toBe(false);
  });

  it('refuses a malformed pattern with a message naming the field', () => {
    expect(() => compileFilter({ metric: 'kafka_[broker' })).toThrow(BadPatternError);
    expect(() => compileFilter({ metric: 'kafka_[broker' })).toThrow(/metric: "kafka_\[broker"/);
  });
});
