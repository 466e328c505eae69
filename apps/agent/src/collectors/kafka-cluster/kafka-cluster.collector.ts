import { Admin } from 'kafkajs';
import { kafkaClusterMetrics, sample } from '@doflamingo/contracts';
import { withTimeout } from '@doflamingo/runtime';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { mapWithConcurrency } from '../../collection/map-with-concurrency';
import { clusterStateSamples, PartitionState } from './cluster-state';
import { OffsetRates } from './offset-rates';

const CONFIG_RESOURCE_TOPIC = 2;
/** Offset look-ups run a few topics at a time: fast on big clusters without flooding brokers. */
const OFFSET_CONCURRENCY = 32;
const MIN_ISR_REFRESH_CYCLES = 30;

/** Brokers, controller, topics, partitions (leader, replicas, ISR) and offsets, via kafkajs admin. */
export class KafkaClusterCollector implements Collector {
  readonly name = 'kafka-cluster' as const;
  private readonly everSeen = new Set<number>();
  private readonly rates = new OffsetRates();
  private readonly minIsr = new Map<string, number>();
  private collections = 0;

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<CollectedBatch[]> {
    let admin: Admin;
    try {
      admin = await this.call(this.context.clients.connectedAdmin(), 'connect');
    } catch {
      // Nobody answers: say so as a sample rather than going silent.
      return [{ scope: 'cluster', samples: [sample(kafkaClusterMetrics.collectionUp, {}, 0)] }];
    }
    const cluster = await this.call(admin.describeCluster(), 'describeCluster');
    const metadata = await this.call(admin.fetchTopicMetadata(), 'fetchTopicMetadata');
    const topics = metadata.topics.map((t) => t.name);
    const [minIsr, offsets] = await Promise.all([this.minInsyncReplicas(admin, topics), this.offsets(admin, topics)]);


    const partitions: PartitionState[] = metadata.topics.flatMap((topic) =>
      topic.partitions.map((p) => ({
        topic: topic.name,
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        ...offsets.get(`${topic.name}\u0000${p.partitionId}`),
      })),
    );
    const liveBrokers = cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    for (const id of liveBrokers) this.everSeen.add(id);
    for (const p of partitions) for (const replica of p.replicas) this.everSeen.add(replica);

    const endSums = new Map<string, number>();
    for (const p of partitions) if (p.logEndOffset !== undefined) endSums.set(p.topic, (endSums.get(p.topic) ?? 0) + p.logEndOffset);

    const samples = clusterStateSamples({
      liveBrokers,
      knownBrokers: [...this.everSeen].sort((a, b) => a - b),
      controller: cluster.controller,
      partitions,
      minInsyncReplicas: minIsr,
      messagesInPerSecond: this.rates.update(endSums, Date.now()),
    });
    return [{ scope: 'cluster', samples }];
  }

  async close(): Promise<void> {}

  /**
   * min.insync.replicas per topic. The setting rarely changes, so new topics are looked up at once
   * and all of them only every MIN_ISR_REFRESH_CYCLES collections. A topic deleted between the
   * metadata and this request fails the whole batch request; then each topic is asked alone.
   */
  private async minInsyncReplicas(admin: Admin, topics: string[]): Promise<Map<string, number>> {
    const refreshAll = this.collections++ % MIN_ISR_REFRESH_CYCLES === 0;
    const wanted = refreshAll ? topics : topics.filter((topic) => !this.minIsr.has(topic));
    if (wanted.length > 0) {
      await this.describeMinIsr(admin, wanted).catch(() =>
        mapWithConcurrency(wanted, OFFSET_CONCURRENCY, (topic) => this.describeMinIsr(admin, [topic]).catch(() => undefined)),
      );
    }
    const current = new Set(topics);
    for (const topic of this.minIsr.keys()) if (!current.has(topic)) this.minIsr.delete(topic);
    return this.minIsr;
  }

  private async describeMinIsr(admin: Admin, topics: string[]): Promise<void> {
    const result = await this.call(
      admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: CONFIG_RESOURCE_TOPIC, name, configNames: ['min.insync.replicas'] })),
      }),
      'describeConfigs',
    );
    for (const r of result.resources) {
      const value = Number(r.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue);
      if (Number.isInteger(value)) this.minIsr.set(r.resourceName, value);
    }
  }

  /** Earliest and latest offset of every partition; a topic whose leader is gone is left out. */
  private async offsets(admin: Admin, topics: string[]): Promise<Map<string, { logStartOffset: number; logEndOffset: number }>> {
    const result = new Map<string, { logStartOffset: number; logEndOffset: number }>();
    await mapWithConcurrency(topics, OFFSET_CONCURRENCY, async (topic) => {
      const partitions = await this.call(admin.fetchTopicOffsets(topic), `fetchTopicOffsets ${topic}`).catch(() => []);
      for (const p of partitions) result.set(`${topic}\u0000${p.partition}`, { logStartOffset: Number(p.low), logEndOffset: Number(p.high) });
    });
    return result;
  }

  private call<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.context.callTimeoutMs, `Kafka ${what} (${this.context.cluster.name})`);
  }
}

export const kafkaClusterCollector: CollectorFactory = (context) => new KafkaClusterCollector(context);
