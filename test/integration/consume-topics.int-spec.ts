import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { Consumer } from 'kafkajs';
import { ConfigModule, loadConfig } from '@doflamingo/config';
import { consumeTopics, ConsumerHandle, KafkaClients, KafkaModule } from '@doflamingo/kafka';
import { LoggingModule } from '@doflamingo/logging';
import { endpoints } from '../../devstack/topology';
import { eventually } from '../support/eventually';

/**
 * consumeTopics is what keeps the gateway's live feed, the anomaly detector, the alerter and the
 * processor's alert history consuming after kafkajs gives up on a consumer. kafkajs treats a
 * TypeError thrown by the handler as non-retriable (like the errors seen when a broker dies
 * mid-rebalance): it stops the consumer for good, with `restart: false`.
 */
describe('consumeTopics (devstack)', () => {
  const config = loadConfig('agent', { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), LOG_LEVEL: 'silent' });
  const topic = `test-consume-topics-${process.pid}-${Date.now()}`;

  async function createSut() {
    const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), TerminusModule, KafkaModule] }).compile();
    return { module, clients: module.get(KafkaClients) };
  }

  it('replaces a consumer kafkajs stopped for good: the uncommitted message is read again, every consumer reports its events, the handle shows the restart', async () => {
    const { module, clients } = await createSut();
    const abort = new AbortController();
    const crashes: Array<{ error: string; restartInMs: number }> = [];
    const consumers: Consumer[] = [];
    const joins: Consumer[] = [];
    const handled: Array<{ value: string; consumer: number }> = [];
    let handle: ConsumerHandle | undefined;
    try {
      handle = await consumeTopics({
        clients,
        topics: [{ topic, partitions: 1, replicationFactor: 3, retentionMs: 3_600_000 }],
        consumer: { groupId: `${topic}-group`, sessionTimeout: 10000, allowAutoTopicCreation: false, retry: { retries: Infinity, initialRetryTime: 300, maxRetryTime: 3000 } },
        fromBeginning: true,
        run: {
          eachBatch: async ({ batch }) => {
            // The first consumer fails on its first batch, before any offset is resolved.
            if (consumers.length === 1) throw new TypeError('a bug in the handler');
            for (const message of batch.messages) handled.push({ value: message.value!.toString(), consumer: consumers.length });
          },
        },
        signal: abort.signal,
        onConsumer: (consumer) => {
          consumers.push(consumer);
          consumer.on(consumer.events.GROUP_JOIN, () => joins.push(consumer));
        },
        onRetry: () => undefined,
        onCrash: (error, restartInMs) => crashes.push({ error: error.message, restartInMs }),
      });
      expect(handle).toBeDefined();
      expect(handle!.restarts).toBe(0);

      const producer = clients.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'once' }] });

      await eventually(async () => crashes.length, (n) => n >= 1, 60000, 'kafkajs giving up on the first consumer');
      expect(crashes[0].error).toContain('a bug in the handler');
      expect(crashes[0].restartInMs).toBeGreaterThan(0);

      await eventually(async () => handled.length, (n) => n >= 1, 60000, 'the replacement consumer reading the message');
      expect(handled).toEqual([{ value: 'once', consumer: 2 }]);
      expect(crashes).toHaveLength(1);
      expect(handle!.restarts).toBe(1);
      expect(handle!.running).toBe(true);
      expect(consumers).toHaveLength(2);
      // onConsumer let the caller listen to the replacement too (the anomaly detector learns its partitions from GROUP_JOIN).
      expect(joins).toContain(consumers[1]);

      abort.abort();
      await handle!.stop();
      expect(handle!.running).toBe(false);
    } finally {
      abort.abort();
      await handle?.stop();
      const admin = clients.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await module.close();
    }
  });
});
