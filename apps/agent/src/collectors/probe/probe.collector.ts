import { Admin, Consumer, Producer } from 'kafkajs';
import { MetricSample, probeMetrics as p, sample } from '@doflamingo/contracts';
import { withTimeout } from '@doflamingo/runtime';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { ProbeTracker } from './probe-tracker';

export const PROBE_TOPIC = 'doflamingo.probe';
/** A message not back within this many probe intervals counts as lost. */
const LOSS_INTERVALS = 3;

interface ProbeMessage {
  agent: string;
  sequence: number;
  sentAt: number;
}

/**
 * Produces one message to every partition of a probe topic — one partition led by each broker —
 * and consumes them back, as a real client would (the idea of KMinion's end-to-end monitoring).
 * A broker that is up but cannot serve shows here before any JMX gauge moves.
 */
export class ProbeCollector implements Collector {
  readonly name = 'probe' as const;
  private readonly tracker: ProbeTracker;
  private producer?: Producer;
  private consumer?: Consumer;
  private consumerReady = false;
  private producerStale = false;
  private setUp?: Promise<void>;

  constructor(
    private readonly context: CollectorContext,
    intervalMs: number,
    private readonly topic = PROBE_TOPIC,
  ) {
    this.tracker = new ProbeTracker(intervalMs * LOSS_INTERVALS);
  }

  async collect(): Promise<CollectedBatch[]> {
    const admin = await this.call(this.context.clients.connectedAdmin(), 'connect');
    this.setUp ??= this.prepare(admin).catch((error) => {
      this.setUp = undefined; // try again next collection
      throw error;
    });
    await this.setUp;
    if (this.consumerReady) await this.probeEveryPartition(admin);
    return [{ scope: 'probe', samples: this.samples() }];
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer?.disconnect(), this.consumer?.disconnect()]);
  }

  private async prepare(admin: Admin): Promise<void> {
    await this.ensureTopic(admin);
    const { kafka } = this.context.clients;
    this.producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await this.call(this.producer.connect(), 'producer connect');
    // The group is this agent's own: committed offsets are not needed, messages are matched by sequence.
    this.consumer = kafka.consumer({ groupId: `doflamingo-probe-${this.context.agentId}`, retry: { retries: 5 } });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.consumerReady = true));
    this.consumer.on(this.consumer.events.CRASH, () => (this.consumerReady = false));
    await this.call(this.consumer.connect(), 'consumer connect');
    // From the beginning: "latest" is resolved only at the first fetch, after the first probes may
    // already be written, and those would count as lost. Older messages are not ours and are skipped.
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const probe = parseProbe(message.value);
        if (probe && probe.agent === this.context.agentId) this.tracker.received(probe.sequence, Date.now());
      },
    });
  }

  /** One partition per broker, each led by its broker (replica lists start with it). */
  private async ensureTopic(admin: Admin): Promise<void> {
    if ((await this.call(admin.listTopics(), 'listTopics')).includes(this.topic)) return;
    const brokers = (await this.call(admin.describeCluster(), 'describeCluster')).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    const replicationFactor = Math.min(3, brokers.length);
    await this.call(
      admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.topic,
            replicaAssignment: brokers.map((_, i) => ({
              partition: i,
              replicas: Array.from({ length: replicationFactor }, (__, r) => brokers[(i + r) % brokers.length]),
            })),
            configEntries: [{ name: 'retention.ms', value: String(60 * 60 * 1000) }],
          },
        ],
      }),
      'createTopics',
    );
  }

  private async probeEveryPartition(admin: Admin): Promise<void> {
    if (this.producerStale) await this.replaceProducer();
    const metadata = await this.call(admin.fetchTopicMetadata({ topics: [this.topic] }), 'fetchTopicMetadata');
    const partitions = metadata.topics[0]?.partitions ?? [];
    await Promise.all(
      partitions.map(async ({ partitionId, leader }) => {
        const sequence = this.tracker.sequence();
        const sentAt = Date.now();
        const message: ProbeMessage = { agent: this.context.agentId, sequence, sentAt };
        this.tracker.sending(partitionId, leader, sequence, sentAt);
        try {
          await this.call(this.producer!.send({ topic: this.topic, acks: -1, messages: [{ partition: partitionId, value: JSON.stringify(message) }] }), `probe send to partition ${partitionId}`);
          this.tracker.acknowledged(partitionId, leader, sequence, sentAt, Date.now());
        } catch {
          this.tracker.failed(partitionId, leader, sequence);
          this.producerStale = true;
        }
      }),
    );
  }

  /**
   * kafkajs refreshes a producer's metadata on "not leader" answers but not after a timeout, so a
   * producer that timed out against a hung leader would keep sending there after leadership moved.
   * A fresh producer starts from current metadata.
   */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.context.clients.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    this.producerStale = false;
    void old?.disconnect().catch(() => undefined);
    await this.call(this.producer.connect(), 'producer connect');
  }

  private samples(): MetricSample[] {
    const samples = [sample(p.consumerReady, {}, Number(this.consumerReady))];
    for (const [partition, stats] of this.tracker.snapshot(Date.now())) {
      const labels = { partition: String(partition), broker: String(stats.broker) };
      if (stats.lastProduceLatencyMs !== undefined) samples.push(sample(p.produceLatency, labels, stats.lastProduceLatencyMs / 1000));
      if (stats.lastRoundTripMs !== undefined) samples.push(sample(p.roundTripLatency, labels, stats.lastRoundTripMs / 1000));
      if (stats.lastProduceOk !== undefined) samples.push(sample(p.produceSuccess, labels, Number(stats.lastProduceOk)));
      samples.push(
        sample(p.sent, labels, stats.sent),
        sample(p.received, labels, stats.received),
        sample(p.lost, labels, stats.lost),
        sample(p.produceErrors, labels, stats.produceErrors),
      );
    }
    return samples;
  }

  private call<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.context.callTimeoutMs, `Kafka ${what} (${this.context.cluster.name})`);
  }
}

function parseProbe(value: Buffer | null): ProbeMessage | undefined {
  try {
    const parsed = JSON.parse(value?.toString() ?? '') as Partial<ProbeMessage>;
    return typeof parsed.agent === 'string' && typeof parsed.sequence === 'number' && typeof parsed.sentAt === 'number' ? (parsed as ProbeMessage) : undefined;
  } catch {
    return undefined;
  }
}

export const probeCollector: CollectorFactory = (context) => new ProbeCollector(context, context.intervalMs.probe);
