import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { killNode, pauseNode, resumeNode, startNode, stopNode } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { AlertsTopicReader } from './alerts-topic-reader';
import { RunningApp, startApp } from './app-process';
import { devstackMonitorEnv } from './devstack-env';
import { eventually } from './eventually';
import { fourLetterWord } from './four-letter-word';
import { freePort } from './free-port';
import { deleteGroup } from './kafka-admin';

/**
 * An agent and an alerter watching the devstack under their own topic prefix and cluster name, a
 * small workload with one consumer group of their own, and the faults the alert tests and the
 * detection benchmark inject. Every fault has a restore; callers must run it (finally / afterAll).
 */
export interface AlertingStackOptions {
  prefix: string;
  cluster: string;
  /** Extra environment for the agent (shorter intervals in tests) and the alerter. */
  agentEnv?: Record<string, string>;
  alerterEnv?: Record<string, string>;
}

export interface FaultScenario {
  name: string;
  /** Alert ids that must fire for it (the first to fire counts for detection time). */
  expected: string[];
  inject(): Promise<void>;
  restore(): Promise<void>;
}

export class AlertingStack {
  readonly apps: RunningApp[] = [];
  agent!: RunningApp;
  alerter!: RunningApp;
  reader!: AlertsTopicReader;
  alerterPort = 0;
  private producer?: Producer;
  private consumer?: Consumer;
  private producing = false;
  private producerLoop?: Promise<void>;
  private readonly kafka: Kafka;
  readonly topic: string;
  readonly group: string;

  constructor(readonly options: AlertingStackOptions) {
    this.kafka = new Kafka({ clientId: `${options.prefix}-workload`, brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    this.topic = `${options.prefix}.workload`;
    this.group = `${options.prefix}-workload-consumer`;
  }

  async start(): Promise<void> {
    const { prefix, cluster } = this.options;
    this.alerterPort = await freePort();
    const common = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'info' };
    this.agent = startApp('agent', { ...common, ...devstackMonitorEnv(), DOFLAMINGO_CLUSTER: cluster, AGENT_HTTP_PORT: String(await freePort()), ...this.options.agentEnv });
    this.alerter = startApp('alerter', { ...common, ALERTER_HTTP_PORT: String(this.alerterPort), ...this.options.alerterEnv });
    this.apps.push(this.agent, this.alerter);

    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: this.topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    this.producer = this.kafka.producer({ retry: { retries: 2 } });
    await this.producer.connect();
    this.producing = true;
    this.producerLoop = this.produce();
    await this.startConsumer();

    await eventually(() => fetch(`http://127.0.0.1:${this.alerterPort}/health`).then((r) => r.status), (s) => s === 200, 120000, 'alerter /health 200');
    this.reader = new AlertsTopicReader(endpoints.kafkaBrokers, `${prefix}.alerts`);
    await this.reader.start();
  }

  async stop(): Promise<void> {
    this.producing = false;
    await this.producerLoop;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    for (const app of this.apps) if (app.child.exitCode === null) app.child.kill('SIGTERM');
    await Promise.all(this.apps.map((app) => Promise.race([app.exited, new Promise((resolve) => setTimeout(resolve, 15000))])));
    for (const app of this.apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await this.reader?.stop();
    // An abandoned group with lag is what the consumer-group alerts report: leave none behind.
    await deleteGroup(endpoints.kafkaBrokers, this.group);
    const admin = this.kafka.admin();
    await admin.connect().then(() => admin.deleteTopics({ topics: [this.topic] })).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }

  alertId(rule: string, labels: Record<string, string> = {}): string {
    const text = Object.keys(labels)
      .sort()
      .map((name) => `${name}=${labels[name]}`)
      .join(',');
    return text ? `${rule}/${this.options.cluster}/${text}` : `${rule}/${this.options.cluster}`;
  }

  /** When `id` first reached `state` after `since` (ms), if it has. */
  reached(id: string, state: 'firing' | 'resolved', since: number): number | undefined {
    return this.reader.events.find((e) => e.id === id && e.state === state && e.at >= since)?.at;
  }

  /** Alert events (pending excluded) since `since`: what a clean period must not have. */
  alertsSince(since: number) {
    return this.reader.events.filter((e) => e.at >= since && e.state !== 'pending');
  }

  /** What to look at when an expected alert did not come: the events seen and the apps' recent warnings. */
  diagnostics(since: number): string {
    const events = this.reader.events.filter((e) => e.at >= since).map((e) => `${new Date(e.at).toISOString()} ${e.state} ${e.id}`);
    const warnings = (app: RunningApp) =>
      app
        .output()
        .split('\n')
        .filter((line) => /"level":"(warn|error)"/.test(line) && Number(JSON.parse(line).time ? Date.parse(JSON.parse(line).time) : 0) >= since)
        .slice(-15);
    return [`alert events since the fault: ${events.join('; ') || 'none'}`, 'agent warnings:', ...warnings(this.agent), 'alerter warnings:', ...warnings(this.alerter)].join('\n');
  }

  /** Every alert that is firing now (last event firing). */
  firingNow(): string[] {
    const last = new Map<string, string>();
    for (const event of this.reader.events) last.set(event.id, event.state);
    return [...last].filter(([, state]) => state === 'firing').map(([id]) => id);
  }

  async startConsumer(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: this.group, sessionTimeout: 10000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await this.consumer.run({ eachMessage: async () => undefined });
  }

  async stopConsumer(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** ~20 messages/s, so a stopped consumer's lag grows. */
  private async produce(): Promise<void> {
    while (this.producing) {
      await this.producer!.send({ topic: this.topic, messages: [{ value: `m-${Date.now()}` }, { value: `n-${Date.now()}` }] }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The ZooKeeper servers as the agent labels them (host:port), and which one leads now. */
  async zookeeperRoles(): Promise<{ leader?: (typeof endpoints.zookeeperServers)[number]; followers: typeof endpoints.zookeeperServers }> {
    const roles = await Promise.all(endpoints.zookeeperServers.map(async (z) => ({ z, srvr: await fourLetterWord(z.host, z.port, 'srvr').catch(() => '') })));
    return { leader: roles.find((r) => /Mode: leader/.test(r.srvr))?.z, followers: roles.filter((r) => /Mode: follower/.test(r.srvr)).map((r) => r.z) };
  }

  /** The six faults of issue 7, each with the alerts it must raise. */
  async scenarios(): Promise<FaultScenario[]> {
    const label = (z: { host: string; port: number }) => `${z.host}:${z.port}`;
    const scenarios: FaultScenario[] = [
      {
        name: 'broker stopped (SIGKILL kafka3)',
        expected: [this.alertId('kafka-broker-unresponsive', { broker: '3' }), this.alertId('kafka-broker-down', { broker: '3' })],
        inject: () => killNode('kafka3'),
        restore: () => startNode('kafka3'),
      },
      {
        name: 'broker hung (SIGSTOP kafka2)',
        expected: [this.alertId('kafka-broker-unresponsive', { broker: '2' })],
        inject: () => pauseNode('kafka2'),
        restore: () => resumeNode('kafka2'),
      },
    ];
    const { leader, followers } = await this.zookeeperRoles();
    if (!leader || followers.length < 2) throw new Error('the ZooKeeper ensemble has no leader and two followers; is the devstack healthy?');
    scenarios.push(
      {
        name: `ZooKeeper leader killed (${leader.name})`,
        expected: [this.alertId('zookeeper-leader-change'), this.alertId('zookeeper-server-down', { server: label(leader) })],
        inject: () => killNode(leader.name),
        restore: () => startNode(leader.name),
      },
      {
        name: `ZooKeeper quorum lost (${followers[0].name} and ${followers[1].name} stopped)`,
        expected: [this.alertId('zookeeper-quorum-lost')],
        inject: async () => {
          await Promise.all([stopNode(followers[0].name), stopNode(followers[1].name)]);
        },
        restore: async () => {
          await Promise.all([startNode(followers[0].name), startNode(followers[1].name)]);
        },
      },
      {
        name: `mntr blocked (${followers[0].name} restarted without it in 4lw.commands.whitelist)`,
        expected: [this.alertId('zookeeper-mntr-unavailable', { server: label(followers[0]) })],
        inject: () => startNode(followers[0].name, { fourLetterWords: 'ruok,srvr' }),
        restore: () => startNode(followers[0].name),
      },
      {
        name: 'consumer stopped',
        expected: [this.alertId('kafka-consumer-group-error', { group: this.group })],
        inject: () => this.stopConsumer(),
        restore: () => this.startConsumer(),
      },
    );
    return scenarios;
  }

  /** Waits until all three brokers are back in the metadata (after a broker or ZooKeeper fault). */
  async clusterSettled(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await eventually(() => admin.describeCluster(), (c) => c.brokers.length === 3 && c.controller !== null, 120000, 'three brokers and a controller');
    } finally {
      await admin.disconnect();
    }
  }
}
