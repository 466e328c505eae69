import type { Logger } from 'pino';
import type { CollectorName, MonitoredCluster } from '@doflamingo/config';
import type { MetricSample } from '@doflamingo/contracts';
import type { ClusterClients } from './cluster-clients';

/**
 * The samples of one collection for one scope (a broker, a ZooKeeper server, the whole cluster…).
 * The scope goes into the message key, so every series of a scope lands in one partition.
 */
export interface CollectedBatch {
  scope: string;
  samples: MetricSample[];
}

/** One kind of collection against one cluster, run on its own interval by the scheduler. */
export interface Collector {
  readonly name: CollectorName;
  /**
   * Collects once. `signal` aborts when the run overstays its interval; a collector passes it (or
   * its own per-call timeouts) to every network call. A failure of one target (a dead broker) is
   * reported as samples, not thrown: throwing means the whole collection failed.
   */
  collect(signal: AbortSignal): Promise<CollectedBatch[]>;
  close(): Promise<void>;
}

export interface CollectorContext {
  cluster: MonitoredCluster;
  /** Shared kafkajs client and admin for this cluster. */
  clients: ClusterClients;
  logger: Logger;
  agentId: string;
  /** Per-call deadline for network calls, ms. */
  callTimeoutMs: number;
  /** How often each collector runs (a collector may size its windows and deadlines from it). */
  intervalMs: Record<CollectorName, number>;
}

/** Builds a collector for a cluster, or nothing when the cluster lacks what it needs (no ZooKeeper…). */
export type CollectorFactory = (context: CollectorContext) => Collector | undefined;
