import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, APP_CONFIG, MonitoredCluster } from '@doflamingo/config';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { withTimeout } from '@doflamingo/runtime';
import { MetricPublisher } from '../publishing/metric-publisher.service';
import { AgentSelfCollector } from './agent-self.collector';
import { ClusterClients } from './cluster-clients';
import { CollectionStats } from './collection-stats';
import { Collector, CollectorContext } from './collector';
import { COLLECTOR_FACTORIES } from './collector-factories';

/** A network call inside a collection gets at most this long, and never more than the interval. */
const CALL_TIMEOUT_MS = 5000;

interface Job {
  cluster: MonitoredCluster;
  collector: Collector;
  intervalMs: number;
  running: boolean;
}

/**
 * Runs every collector of every monitored cluster on its own interval. A run that is still going
 * when the next is due makes that next run skip (counted), never stack; a run that outlasts its
 * interval is abandoned. Clusters and collectors are independent: one dead cluster delays no other.
 */
@Injectable()
export class CollectionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly stats = new CollectionStats();
  private readonly jobs: Job[] = [];
  private readonly clusterClients: ClusterClients[] = [];
  private readonly throttle = new LogThrottle(60000);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: MetricPublisher,
    private readonly registry: SchedulerRegistry,
    @InjectPinoLogger(CollectionScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    for (const cluster of this.config.clusters) {
      const clients = new ClusterClients(cluster, this.logger.logger);
      this.clusterClients.push(clients);
      const context: CollectorContext = {
        cluster,
        clients,
        logger: this.logger.logger.child({ cluster: cluster.name }),
        agentId: this.config.instanceId,
        // A call must fit well inside the shortest interval, or a dead target would fail whole runs.
        callTimeoutMs: Math.min(CALL_TIMEOUT_MS, 0.8 * Math.min(...Object.values(this.config.agent.intervalsMs))),
        intervalMs: this.config.agent.intervalsMs,
      };
      const collectors = COLLECTOR_FACTORIES.map((factory) => factory(context)).filter((c): c is Collector => c !== undefined);
      collectors.push(new AgentSelfCollector(cluster.name, this.stats, this.publisher));
      for (const collector of collectors) this.schedule(cluster, collector);
      this.logger.info({ cluster: cluster.name, collectors: collectors.map((c) => c.name) }, 'collecting');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const name of this.registry.getIntervals()) this.registry.deleteInterval(name);
    await Promise.allSettled([...this.jobs.map((job) => job.collector.close()), ...this.clusterClients.map((c) => c.close())]);
  }

  /** Runs one job now (also used by tests to collect without waiting for the interval). */
  async runOnce(job: Job): Promise<void> {
    const { cluster, collector, intervalMs } = job;
    const stats = this.stats.of(cluster.name, collector.name);
    if (job.running) {
      stats.skipped++;
      return;
    }
    job.running = true;
    const startedAt = Date.now();
    const abort = new AbortController();
    try {
      const batches = await withTimeout(collector.collect(abort.signal), intervalMs, `${collector.name} collection of ${cluster.name}`);
      this.publisher.publish(cluster.name, collector.name, startedAt, batches);
      this.throttle.clear(`${cluster.name}/${collector.name}`);
    } catch (error) {
      stats.errors++;
      const admitted = this.throttle.admit(`${cluster.name}/${collector.name}`);
      if (admitted) this.logger.warn({ cluster: cluster.name, collector: collector.name, err: (error as Error).message, suppressed: admitted.suppressed }, 'collection failed');
    } finally {
      abort.abort();
      stats.lastDurationSeconds = (Date.now() - startedAt) / 1000;
      job.running = false;
    }
  }

  private schedule(cluster: MonitoredCluster, collector: Collector): void {
    const intervalMs = this.config.agent.intervalsMs[collector.name];
    const job: Job = { cluster, collector, intervalMs, running: false };
    this.jobs.push(job);
    this.registry.addInterval(`${cluster.name}/${collector.name}`, setInterval(() => void this.runOnce(job), intervalMs));
    void this.runOnce(job);
  }
}
