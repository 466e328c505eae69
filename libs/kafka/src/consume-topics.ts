import { Consumer, ConsumerConfig, ConsumerRunConfig } from 'kafkajs';
import { retry } from '@doflamingo/runtime';
import { ensureTopic, TopicSpec } from './ensure-topic';
import { KafkaClients } from './kafka-clients.service';

export interface ConsumeTopicsOptions {
  clients: KafkaClients;
  /** Created when missing (kafkajs subscribes to existing topics only). */
  topics: TopicSpec[];
  /** Created when missing too, but not subscribed to (topics this app writes). */
  alsoCreate?: TopicSpec[];
  consumer: ConsumerConfig;
  fromBeginning: boolean;
  run: ConsumerRunConfig;
  signal: AbortSignal;
  /** Called on each retry while Kafka is unreachable or the new topics are not known everywhere yet. */
  onRetry: (step: 'set up topics' | 'subscribe', error: Error, attempt: number) => void;
}

/**
 * Creates the topics, then connects a consumer, subscribes and runs it, retrying with backoff
 * until Kafka answers (or `signal` aborts, when it returns undefined). Right after a topic is
 * created some brokers may not know it yet ("does not host this topic-partition"), so subscribing
 * is retried too.
 */
export async function consumeTopics(options: ConsumeTopicsOptions): Promise<Consumer | undefined> {
  const { clients, topics, signal, onRetry } = options;
  await retry(
    async () => {
      const admin = clients.admin({ retry: { retries: 1 } });
      await admin.connect();
      try {
        for (const spec of [...topics, ...(options.alsoCreate ?? [])]) await ensureTopic(admin, spec);
      } finally {
        await admin.disconnect();
      }
    },
    { retries: Infinity, initialDelayMs: 500, maxDelayMs: 15000, signal, onRetry: (error, attempt) => onRetry('set up topics', error, attempt) },
  );
  if (signal.aborted) return undefined;
  const consumer = clients.consumer(options.consumer);
  await consumer.connect();
  await retry(() => consumer.subscribe({ topics: topics.map((t) => t.topic), fromBeginning: options.fromBeginning }), {
    retries: Infinity,
    initialDelayMs: 250,
    maxDelayMs: 5000,
    signal,
    onRetry: (error, attempt) => onRetry('subscribe', error, attempt),
  });
  if (signal.aborted) return undefined;
  await consumer.run(options.run);
  return consumer;
}
