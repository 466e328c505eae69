import { performance } from 'node:perf_hooks';
import { CreateMode, Exception } from 'node-zookeeper-client';
import { MonitoredCluster } from '@doflamingo/config';
import { MetricSample, sample, zookeeperMetrics } from '@doflamingo/contracts';
import { LogThrottle } from '@doflamingo/logging';
import { withTimeout } from '@doflamingo/runtime';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { ensembleSamples, findLeader, LeaderChanges } from './ensemble-view';
import { pollServer, ServerPoll, ServerTarget } from './server-poller';
import { serverSamples } from './server-samples';
import { brokerIdsFromChildren, brokerRegistrationSamples, controllerIdFromZnode, ProbeResult, probeSamples } from './znode-checks';
import { zookeeperErrorCode, ZookeeperSession } from './zookeeper-session';

/**
 * Four-letter words are answered from memory in milliseconds; a server that needs longer is as
 * good as down. The whole collection must fit in its interval even when one server hangs: servers,
 * znodes and probe run at once, and the longest path is two calls (session connect, then probe).
 */
const MAX_CALL_MS = 2000;
const CALL_SHARE_OF_INTERVAL = 0.4;
/** Parent of the probe znodes: one persistent znode for every agent, each agent's probe an ephemeral child. */
export const PROBE_PARENT = '/doflamingo-probe';

type ZookeeperConfig = NonNullable<MonitoredCluster['zookeeper']>;

/**
 * ZooKeeper servers through four-letter words (AdminServer when mntr is off), the ensemble they
 * form, Kafka's znodes (/brokers/ids against the Kafka metadata, /controller) and a synthetic
 * create-read-delete probe through one long-lived session.
 */
export class ZookeeperCollector implements Collector {
  readonly name = 'zookeeper' as const;
  private readonly targets: ServerTarget[];
  private readonly session: ZookeeperSession;
  private readonly leaderChanges = new LeaderChanges();
  private readonly throttle = new LogThrottle(60000);
  private readonly callMs: number;
  private readonly probePath: string;

  constructor(
    private readonly context: CollectorContext,
    zookeeper: ZookeeperConfig,
  ) {
    this.callMs = Math.min(context.callTimeoutMs, MAX_CALL_MS, Math.floor(context.intervalMs.zookeeper * CALL_SHARE_OF_INTERVAL));
    this.targets = zookeeper.servers.map((server, i) => ({ server, adminUrl: zookeeper.adminUrls[i] }));
    this.session = new ZookeeperSession({ servers: zookeeper.servers, digest: zookeeper.digest, timeoutMs: this.callMs });
    // A fixed name per agent: a create that outlived its deadline can leave at most this one znode behind.
    this.probePath = `${PROBE_PARENT}/${context.agentId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  }

  async collect(): Promise<CollectedBatch[]> {
    const [polls, znodeSamples] = await Promise.all([Promise.all(this.targets.map((target) => pollServer(target, this.callMs))), this.znodeSamples()]);
    for (const poll of polls) this.logServerProblems(poll);
    const reports = polls.map((poll) => poll.report);
    const leader = findLeader(reports);
    const leaderChanges = this.leaderChanges.observe(leader && { server: leader.server, epoch: leader.stats.zxid?.epoch });
    return [
      ...reports.map((report) => ({ scope: `server ${report.server}`, samples: serverSamples(report) })),
      { scope: 'ensemble', samples: [...ensembleSamples(reports, leaderChanges), ...znodeSamples] },
    ];
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** /brokers/ids against the Kafka metadata, /controller, and the probe. What fails is left out (the probe says 0). */
  private async znodeSamples(): Promise<MetricSample[]> {
    const inMetadata = this.metadataBrokerIds();
    try {
      await this.session.connected();
      this.throttle.clear('session');
    } catch (error) {
      this.warn('session', { err: (error as Error).message }, 'no ZooKeeper session: znode checks and probe fail until it connects');
      return [...brokerRegistrationSamples(undefined, await inMetadata), ...probeSamples({ ok: false, error: 'no session' })];
    }
    const [registered, controllerId, probe] = await Promise.all([
      this.session
        .getChildren('/brokers/ids')
        .then((children) => brokerIdsFromChildren(children ?? []))
        .catch(() => undefined),
      this.session
        .getData('/controller')
        .then(controllerIdFromZnode)
        .catch(() => undefined),
      this.probe(),
    ]);
    if (probe.ok) this.throttle.clear('probe');
    else this.warn('probe', { err: probe.error }, 'ZooKeeper probe failed');
    const samples = [...brokerRegistrationSamples(registered, await inMetadata), ...probeSamples(probe)];
    if (controllerId !== undefined) samples.push(sample(zookeeperMetrics.kafkaControllerId, {}, controllerId));
    return samples;
  }

  private async metadataBrokerIds(): Promise<number[] | undefined> {
    try {
      const admin = await withTimeout(this.context.clients.connectedAdmin(), this.callMs, `Kafka connect (${this.context.cluster.name})`);
      const cluster = await withTimeout(admin.describeCluster(), this.callMs, `Kafka describeCluster (${this.context.cluster.name})`);
      return cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
    } catch {
      return undefined;
    }
  }

  /** Create an ephemeral znode, read it back, delete it: a write through the leader and a quorum, twice. */
  private async probe(): Promise<ProbeResult> {
    const payload = Buffer.from(`${this.context.agentId} ${Date.now()}`);
    const startedAt = performance.now();
    try {
      await withTimeout(
        (async () => {
          await this.createProbeNode(payload);
          const read = await this.session.getData(this.probePath);
          if (!read?.equals(payload)) throw new Error(`read back ${read ? `${read.length} other bytes` : 'nothing'} from ${this.probePath}`);
          await this.session.remove(this.probePath);
        })(),
        this.callMs,
        `ZooKeeper probe ${this.probePath}`,
      );
      return { ok: true, seconds: (performance.now() - startedAt) / 1000 };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  private async createProbeNode(payload: Buffer): Promise<void> {
    try {
      await this.session.create(this.probePath, payload, CreateMode.EPHEMERAL);
      return;
    } catch (error) {
      const code = zookeeperErrorCode(error);
      if (code === Exception.NO_NODE) {
        await this.session.create(PROBE_PARENT, Buffer.alloc(0)).catch((e: unknown) => {
          if (zookeeperErrorCode(e) !== Exception.NODE_EXISTS) throw e;
        });
      } else if (code === Exception.NODE_EXISTS) {
        // Left by a create that answered after its deadline, or by this agent's previous process.
        await this.session.remove(this.probePath).catch((e: unknown) => {
          if (zookeeperErrorCode(e) !== Exception.NO_NODE) throw e;
        });
      } else {
        throw error;
      }
    }
    await this.session.create(this.probePath, payload, CreateMode.EPHEMERAL);
  }

  private logServerProblems(poll: ServerPoll): void {
    const { server, up, source } = poll.report;
    if (up) this.throttle.clear(`down ${server}`);
    else this.warn(`down ${server}`, { server, err: poll.failure }, 'ZooKeeper server does not answer');
    if (!poll.mntrRefused) {
      this.throttle.clear(`mntr ${server}`);
      return;
    }
    const fallback = source === 'admin' ? 'reading its statistics from the AdminServer instead' : 'and the AdminServer gave none either: its statistics are missing';
    this.warn(`mntr ${server}`, { server, adminFailure: poll.adminFailure }, `mntr is not in 4lw.commands.whitelist on ${server}; ${fallback}`);
  }

  private warn(key: string, fields: Record<string, unknown>, message: string): void {
    const admitted = this.throttle.admit(key);
    if (admitted) this.context.logger.warn({ collector: this.name, ...fields, suppressed: admitted.suppressed }, message);
  }
}

export const zookeeperCollector: CollectorFactory = (context) =>
  context.cluster.zookeeper ? new ZookeeperCollector(context, context.cluster.zookeeper) : undefined;
