import { Message, ProducerRecord } from 'kafkajs';
import { loadConfig } from '@doflamingo/config';
import { KafkaClients, partitionOfKey } from '@doflamingo/kafka';
import { PinoLogger } from '@doflamingo/logging';
import { MetricPublisher } from './metric-publisher.service';

/**
 * A producer whose sends hang for the keys of one partition, like a partition led by a broker
 * that was SIGSTOPped: it neither answers nor refuses.
 */
function clientsWithHungPartition(hungLane: number, lanes: number) {
  const delivered: string[] = [];
  const producer = {
    connect: async () => undefined,
    send: (record: ProducerRecord) => {
      const keys = record.messages.map((m: Message) => String(m.key));
      if (keys.some((key) => partitionOfKey(key, lanes) === hungLane)) return new Promise(() => undefined);
      delivered.push(...keys);
      return Promise.resolve([]);
    },
  };
  const admin = { connect: async () => undefined, disconnect: async () => undefined, listTopics: async () => ['doflamingo.metrics'] };
  const clients = { producer: () => producer, admin: () => admin } as unknown as KafkaClients;
  return { clients, delivered };
}

const logger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as PinoLogger;
const sample = { metric: 'kafka_broker_jmx_up', labels: { broker: '1' }, value: 1 };

describe('MetricPublisher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps publishing the other partitions while one partition hangs', async () => {
    const config = loadConfig('agent', {});
    const lanes = config.agent.metricsTopic.partitions;
    const scopes = Array.from({ length: 30 }, (_, i) => `broker-${i}`);
    const hungLane = partitionOfKey(`cluster-a/jmx/${scopes[0]}`, lanes);
    const { clients, delivered } = clientsWithHungPartition(hungLane, lanes);
    const sut = new MetricPublisher(config, clients, logger);

    // One collection after another, as the scheduler calls it: the hung scope comes first.
    for (const scope of scopes) sut.publish('cluster-a', 'jmx', Date.now(), [{ scope, samples: [sample] }]);
    await jest.advanceTimersByTimeAsync(1000);

    const healthy = scopes.map((scope) => `cluster-a/jmx/${scope}`).filter((key) => partitionOfKey(key, lanes) !== hungLane);
    expect(healthy.length).toBeGreaterThan(10);
    expect(new Set(delivered)).toEqual(new Set(healthy));
    expect(delivered).toHaveLength(healthy.length); // each once
    expect(sut.state()).toMatchObject({ buffered: scopes.length - healthy.length, published: healthy.length });
  });
});
