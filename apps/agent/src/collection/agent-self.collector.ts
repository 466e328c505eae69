import { agentMetrics, sample } from '@doflamingo/contracts';
import { MetricPublisher } from '../publishing/metric-publisher.service';
import { CollectionStats } from './collection-stats';
import { CollectedBatch, Collector } from './collector';

/** The agent's own health as samples: collection durations, errors, skips, buffer and drops. */
export class AgentSelfCollector implements Collector {
  readonly name = 'agent' as const;

  constructor(
    private readonly cluster: string,
    private readonly stats: CollectionStats,
    private readonly publisher: MetricPublisher,
  ) {}

  async collect(): Promise<CollectedBatch[]> {
    const samples = this.stats.entries(this.cluster).flatMap(([collector, stats]) => [
      sample(agentMetrics.collectionDuration, { collector }, stats.lastDurationSeconds),
      sample(agentMetrics.collectionErrors, { collector }, stats.errors),
      sample(agentMetrics.collectionsSkipped, { collector }, stats.skipped),
    ]);
    samples.push(
      sample(agentMetrics.bufferedBytes, {}, this.publisher.bufferedBytes),
      sample(agentMetrics.batchesDropped, {}, this.publisher.droppedBatches),
      sample(agentMetrics.publishErrors, {}, this.publisher.publishErrors),
    );
    return [{ scope: 'agent', samples }];
  }

  async close(): Promise<void> {}
}
