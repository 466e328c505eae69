import { Message, ProducerRecord } from 'kafkajs';
import { loadConfig } from '@doflamingo/config';
import { AlertEvent, ALERT_EVENT_SCHEMA_VERSION } from '@doflamingo/contracts';
import { alertsTopicSpec, KafkaClients, partitionOfKey } from '@doflamingo/kafka';
import { PinoLogger } from '@doflamingo/logging';
import { AlertPublisher } from './alert-publisher.service';

const logger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as PinoLogger;

const alert = (id: string, state: AlertEvent['state'], at: number): AlertEvent => ({
  schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
  id,
  rule: 'kafka-broker-unresponsive',
  state,
  severity: 'critical',
  cluster: 'cluster-a',
  labels: {},
  message: id,
  value: 0,
  startsAt: at,
  at,
  firedAt: null,
});

describe('AlertPublisher', () => {
  it('publishes every partition but the one whose leader hangs, each alert in order', async () => {
    const config = loadConfig('alerter', {});
    const partitions = alertsTopicSpec(config).partitions;
    const ids = Array.from({ length: 12 }, (_, i) => `kafka-broker-unresponsive/cluster-a/broker=${i}`);
    const hung = partitionOfKey(ids[0], partitions);
    const delivered: Array<[string, string]> = [];
    const producer = {
      connect: async () => undefined,
      // Like a partition led by a SIGSTOPped broker: no answer, no error.
      send: (record: ProducerRecord) => {
        const events = record.messages.map((m: Message) => JSON.parse(String(m.value)) as AlertEvent);
        if (events.some((event) => partitionOfKey(event.id, partitions) === hung)) return new Promise(() => undefined);
        delivered.push(...events.map((event): [string, string] => [event.id, event.state]));
        return Promise.resolve([]);
      },
    };
    const sut = new AlertPublisher(config, { producer: () => producer } as unknown as KafkaClients, logger);

    sut.publish(ids.map((id) => alert(id, 'pending', 1)));
    sut.publish(ids.map((id) => alert(id, 'firing', 2)));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const others = ids.filter((id) => partitionOfKey(id, partitions) !== hung);
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) expect(delivered.filter(([each]) => each === id).map(([, state]) => state)).toEqual(['pending', 'firing']);
    expect(delivered).toHaveLength(others.length * 2);
    expect(sut.backlog).toBe((ids.length - others.length) * 2);
  });
});
