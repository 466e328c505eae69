import { Consumer, Kafka, logLevel } from 'kafkajs';
import { MetricBatch, metricBatchSchema } from '@doflamingo/contracts';
import { deleteGroup } from './kafka-admin';

/**
 * Reads the metrics topic like a downstream consumer would, validating every message against the
 * contract. Starts at the end of the topic; `waitFor` resolves with the first batch that matches.
 */
export class MetricsTopicReader {
  readonly batches: MetricBatch[] = [];
  readonly invalid: string[] = [];
  /** Partitions each message key was seen on: one key must always map to one partition. */
  readonly partitionsByKey = new Map<string, Set<number>>();
  private consumer?: Consumer;
  private readonly groupId = `doflamingo-test-reader-${process.pid}-${Date.now()}`;
  private waiters: Array<{ match: (b: MetricBatch) => boolean; resolve: (b: MetricBatch) => void }> = [];

  constructor(private readonly brokers: string[], private readonly topic = 'doflamingo.metrics') {}

  async start(): Promise<void> {
    const kafka = new Kafka({ clientId: 'doflamingo-test-reader', brokers: this.brokers, logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: this.groupId });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    let assigned!: () => void;
    const ready = new Promise<void>((resolve) => (assigned = resolve));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => assigned());
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const key = message.key?.toString() ?? '';
        if (!this.partitionsByKey.has(key)) this.partitionsByKey.set(key, new Set());
        this.partitionsByKey.get(key)!.add(partition);
        const parsed = metricBatchSchema.safeParse(JSON.parse(message.value!.toString()));
        if (!parsed.success) {
          this.invalid.push(parsed.error.message);
          return;
        }
        this.batches.push(parsed.data);
        this.waiters = this.waiters.filter((w) => (w.match(parsed.data) ? (w.resolve(parsed.data), false) : true));
      },
    });
    await ready;
  }

  waitFor(match: (batch: MetricBatch) => boolean, timeoutMs: number, what: string): Promise<MetricBatch> {
    const seen = this.batches.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no metric batch with ${what} within ${timeoutMs} ms (${this.batches.length} batches seen)`)), timeoutMs);
      this.waiters.push({ match, resolve: (batch) => (clearTimeout(timer), resolve(batch)) });
    });
  }

  /** Leaves no group behind: an abandoned group with lag is what the consumer-group alerts report. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await deleteGroup(this.brokers, this.groupId);
  }
}
