import { Consumer, ConsumerConfig, ConsumerRunConfig } from 'kafkajs';
import { backoffDelay, retry, sleep } from '@doflamingo/runtime';
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
  /** Called when kafkajs gave up on the consumer (a non-retriable error); it is started again after a backoff. */
  onCrash: (error: Error, restartInMs: number) => void;
  /** Called with every consumer made here, the first and each replacement, before it connects: to listen to its events (GROUP_JOIN…). */
  onConsumer?: (consumer: Consumer) => void;
}

/** A consumer that is started again whenever kafkajs gives up on it, until `stop`. */
export interface ConsumerHandle {
  /** False from a crash until the consumer runs again. */
  readonly running: boolean;
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * Creates the topics, then connects a consumer, subscribes and runs it, retrying with backoff
 * until Kafka answers (or `signal` aborts, when it returns undefined). Right after a topic is
 * created some brokers may not know it yet ("does not host this topic-partition"), so subscribing
 * is retried too. kafkajs restarts a consumer after retriable errors by itself, but after a
 * non-retriable one (seen when a broker dies mid-rebalance) it just stops: then this starts a new
 * consumer in the same group, so an app never sits "healthy" with nothing consuming.
 */
export async function consumeTopics(options: ConsumeTopicsOptions): Promise<ConsumerHandle | undefined> {
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

  let current: Consumer | undefined;
  const state = { running: false, restarts: 0 };
  const start = async (): Promise<void> => {
    const consumer = clients.consumer(options.consumer);
    current = consumer;
    let crashed = false;
    options.onConsumer?.(consumer);
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart || signal.aborted) return;
      crashed = true;
      state.running = false;
      const delayMs = backoffDelay(Math.min(state.restarts, 6), 1000, 30000);
      options.onCrash(event.payload.error, delayMs);
      void consumer
        .disconnect()
        .catch(() => undefined)
        .then(() => sleep(delayMs, signal))
        .then(() => {
          if (signal.aborted) return;
          state.restarts++;
          return start();
        })
        .catch((error: Error) => options.onCrash(error, 0));
    });
    await consumer.connect();
    await retry(() => consumer.subscribe({ topics: topics.map((t) => t.topic), fromBeginning: options.fromBeginning }), {
      retries: Infinity,
      initialDelayMs: 250,
      maxDelayMs: 5000,
      signal,
      onRetry: (error, attempt) => onRetry('subscribe', error, attempt),
    });
    if (signal.aborted) return;
    await consumer.run(options.run);
    // A failed join crashes the consumer inside run(), which still resolves.
    if (!crashed) state.running = true;
  };
  await start();
  if (signal.aborted) return undefined;
  return {
    get running() {
      return state.running;
    },
    get restarts() {
      return state.restarts;
    },
    stop: async () => {
      state.running = false;
      await current?.stop().catch(() => undefined);
    },
  };
}
