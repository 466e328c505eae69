import { MetricSample } from '@doflamingo/contracts';
import { brokerIdsFromChildren, brokerRegistrationSamples, controllerIdFromZnode, probeSamples } from './znode-checks';

const value = (samples: MetricSample[], metric: string) => samples.find((s) => s.metric === metric)?.value;

describe('controllerIdFromZnode', () => {
  it("reads the broker id from Kafka 3.9's /controller content", () => {
    expect(controllerIdFromZnode(Buffer.from('{"version":2,"brokerid":1,"timestamp":"1795496330492","kraftControllerEpoch":-1}'))).toBe(1);
  });

  it('says -1 when there is no /controller, and nothing for content Kafka does not write', () => {
    expect(controllerIdFromZnode(undefined)).toBe(-1);
    expect(controllerIdFromZnode(Buffer.from('not json'))).toBeUndefined();
    expect(controllerIdFromZnode(Buffer.from('{"brokerid":"2"}'))).toBeUndefined();
  });
});

describe('broker registrations', () => {
  it('reads broker ids from /brokers/ids children, numerically sorted', () => {
    expect(brokerIdsFromChildren(['10', '2', 'lock', '1'])).toEqual([1, 2, 10]);
  });

  it('reports no mismatch when ZooKeeper and the metadata agree', () => {
    const sut = brokerRegistrationSamples([1, 2, 3], [1, 2, 3]);
    expect(value(sut, 'zookeeper_kafka_brokers_registered')).toBe(3);
    expect(value(sut, 'zookeeper_kafka_brokers_in_metadata')).toBe(3);
    expect(value(sut, 'zookeeper_kafka_broker_registration_mismatch')).toBe(0);
  });

  it('counts ids missing on either side', () => {
    expect(value(brokerRegistrationSamples([1, 2, 3], [1, 3]), 'zookeeper_kafka_broker_registration_mismatch')).toBe(1);
    expect(value(brokerRegistrationSamples([1, 2], [2, 3]), 'zookeeper_kafka_broker_registration_mismatch')).toBe(2);
  });

  it('reports no mismatch when one side is unknown this time', () => {
    const sut = brokerRegistrationSamples(undefined, [1, 2, 3]);
    expect(value(sut, 'zookeeper_kafka_brokers_in_metadata')).toBe(3);
    expect(value(sut, 'zookeeper_kafka_brokers_registered')).toBeUndefined();
    expect(value(sut, 'zookeeper_kafka_broker_registration_mismatch')).toBeUndefined();
  });
});

describe('probeSamples', () => {
  it('reports success with its latency, and failure without one', () => {
    expect(probeSamples({ ok: true, seconds: 0.012 }).map((s) => [s.metric, s.value])).toEqual([
      ['zookeeper_probe_success', 1],
      ['zookeeper_probe_latency_seconds', 0.012],
    ]);
    expect(probeSamples({ ok: false, error: 'timeout' }).map((s) => [s.metric, s.value])).toEqual([['zookeeper_probe_success', 0]]);
  });
});
