import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from 'kafkajs';
import { Browser, chromium, Page } from 'playwright-core';
import { topicNames } from '@doflamingo/contracts';
import { setReporter } from '../../devstack/progress';
import { killNode, startNode, waitHealthy } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium';
import { devstackMonitorEnv } from '../support/devstack-env';
import { eventually } from '../support/eventually';
import { fourLetterWord } from '../support/four-letter-word';
import { freePort } from '../support/free-port';
import { connectAdmin } from '../support/kafka-admin';

/**
 * Faults seen in a real browser: a broker killed (SIGKILL) must be marked down on the overview
 * within 15 s and come back when restarted; a killed ZooKeeper leader must leave the ensemble
 * picture with a new leader and the old one down. This test KILLS devstack nodes: run it alone, or
 * against a second devstack (DEVSTACK_DIR=… DEVSTACK_PORT_OFFSET=20000, see docs/flamingo.md).
 * Every node is started again in afterAll.
 *
 * The gateway and agent talk to Kafka through topics placed on the two brokers that are not
 * killed, and the victim is neither the controller nor the coordinator of the gateway's consumer
 * group, so Kafka moving leaders adds nothing to what is measured. What remains is real: the
 * agent sees the broker's JMX endpoint go silent within one interval, but a kafkajs consumer (the
 * gateway's live feed) fetches from every broker in the metadata and stalls until the dead broker
 * leaves it, i.e. until its ZooKeeper session expires (10 s on the devstack, 18 s by Kafka's default).
 */
const prefix = `test-dashfault-${process.pid}`;
const cluster = `dashfault-${process.pid}`;
const gatewayInstance = `dashfault-gw-${process.pid}`;
const DETECTION_LIMIT_MS = 15_000;
const INTERVAL_MS = '2000';
const results = join(__dirname, '..', '..', 'test-results');
const brokerNodes = ['kafka1', 'kafka2', 'kafka3'];
const zookeeperNodes = endpoints.zookeeperServers.map((z) => z.name);

/** Java's String.hashCode, as Kafka uses it to map a group id to its __consumer_offsets partition. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The broker coordinating `group`: the leader of its __consumer_offsets partition. On a fresh
 * stack that topic does not exist until a client looks for a coordinator (describeGroups does).
 */
async function groupCoordinator(admin: Admin, group: string): Promise<number> {
  const [offsets] = await eventually(
    async () => {
      await admin.describeGroups([group]).catch(() => undefined);
      return (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics;
    },
    ([t]) => t !== undefined && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
    60_000,
    'the __consumer_offsets topic',
  );
  const partition = (javaHashCode(group) & 0x7fffffff) % offsets.partitions.length;
  return offsets.partitions.find((p) => p.partitionId === partition)!.leader;
}

/** The ZooKeeper leader as the servers themselves say (srvr), labelled as the agent labels servers: host:port. */
async function zookeeperLeader(): Promise<{ name: string; server: string } | undefined> {
  for (const z of endpoints.zookeeperServers) {
    const srvr = await fourLetterWord(z.host, z.port, 'srvr').catch(() => '');
    if (/Mode: leader/.test(srvr)) return { name: z.name, server: `${z.host}:${z.port}` };
  }
  return undefined;
}

async function everyNodeHealthy(): Promise<void> {
  for (const name of [...zookeeperNodes, ...brokerNodes]) await startNode(name);
  for (const name of [...zookeeperNodes, ...brokerNodes]) await waitHealthy(name, 90_000);
}

describe('dashboard under faults (devstack nodes are killed and restarted)', () => {
  const apps: RunningApp[] = [];
  const measured: Record<string, number> = {};
  let admin: Admin;
  let browser: Browser;
  let overview: Page;
  let gateway = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    setReporter(() => undefined);
    const executablePath = ensureChromium();
    mkdirSync(results, { recursive: true });
    await everyNodeHealthy();
    admin = await connectAdmin(endpoints.kafkaBrokers);
    await eventually(() => admin.describeCluster(), (c) => c.brokers.length === 3 && c.controller !== null, 60_000, 'three brokers and a controller');

    // Our transport topics on brokers 1 and 2 only, so killing broker 3 never touches them… unless
    // broker 3 is the controller or the gateway group's coordinator: then the spare is picked.
    const { controller } = await admin.describeCluster();
    const coordinator = await groupCoordinator(admin, `${prefix}-gateway-${gatewayInstance}`);
    const ids = [1, 2, 3];
    const victim = [...ids].reverse().find((id) => id !== controller && id !== coordinator)!;
    const survivors = ids.filter((id) => id !== victim);
    const topics = Object.values(topicNames(prefix));
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, replicaAssignment: [0, 1, 2].map((partition) => ({ partition, replicas: partition % 2 ? [...survivors].reverse() : survivors })) })),
      waitForLeaders: true,
    });
    await admin.createTopics({ topics: [{ topic: `${prefix}.replicated`, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    measured.victimBroker = victim;

    const [gatewayPort, agentPort] = [await freePort(), await freePort()];
    gateway = `http://127.0.0.1:${gatewayPort}`;
    const common = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' };
    apps.push(
      startApp('gateway', {
        ...common,
        CLICKHOUSE_URL: endpoints.clickhouseUrl,
        CLICKHOUSE_DATABASE: `doflamingo_test_dashfault_${process.pid}`, // history is not under test: nothing is stored
        GATEWAY_AUTH: 'none',
        GATEWAY_HTTP_PORT: String(gatewayPort),
        DOFLAMINGO_INSTANCE_ID: gatewayInstance,
      }),
    );
    apps.push(
      startApp('agent', {
        ...common,
        ...devstackMonitorEnv(),
        DOFLAMINGO_CLUSTER: cluster,
        AGENT_HTTP_PORT: String(agentPort),
        AGENT_INTERVAL_KAFKA_CLUSTER_MS: INTERVAL_MS,
        AGENT_INTERVAL_JMX_MS: INTERVAL_MS,
        AGENT_INTERVAL_ZOOKEEPER_MS: INTERVAL_MS,
      }),
    );

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    overview = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    overview.on('pageerror', (error) => pageErrors.push(error.message));
    await eventually(
      async () => (await fetch(`${gateway}/api/v1/clusters`)).json() as Promise<Array<{ name: string; brokersUp: number | null; zookeeper: { leader: string | null } | null }>>,
      (list) => list.some((c) => c.name === cluster && c.brokersUp === 3 && !!c.zookeeper?.leader),
      60_000,
      'the gateway having our cluster with 3 brokers and a ZooKeeper leader',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\napp output:\n${apps.map((a) => a.output().trim().split('\n').slice(-5).join('\n')).join('\n---\n')}`);
    });
    await overview.goto(`${gateway}/#/overview?cluster=${encodeURIComponent(cluster)}`);
  }, 240_000);

  afterAll(async () => {
    // Never leave the stack broken, whatever failed above.
    await everyNodeHealthy();
    await browser?.close().catch(() => undefined);
    for (const app of apps) app.child.kill('SIGTERM');
    await Promise.all(apps.map((app) => app.exited));
    if (admin) {
      await admin.deleteGroups([`${prefix}-gateway-${gatewayInstance}`]).catch(() => undefined);
      await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
      await admin.disconnect();
    }
    writeFileSync(join(results, 'dashboard-faults.json'), `${JSON.stringify(measured, null, 2)}\n`);
  }, 240_000);

  const tile = () => overview.locator(`.tile.cluster[data-cluster="${cluster}"]`);
  const ensemble = () => overview.locator(`.tile.ensemble[data-ensemble="${cluster}"]`);
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(results, 'screenshots', `${name}.png`), fullPage: true });

  it(`marks a killed broker down on the overview within ${DETECTION_LIMIT_MS / 1000} s and its replicas out of sync on the topic page, and all up again after it is started`, async () => {
    const victim = String(measured.victimBroker);
    const topicPage = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    topicPage.on('pageerror', (error) => pageErrors.push(error.message));
    const dot = (state = '') => tile().locator(`.dot[data-broker="${victim}"]${state && `[data-state="${state}"]`}`);
    await eventually(async () => tile().getAttribute('data-brokers-up'), (up) => up === '3', 30_000, 'three brokers up on the tile');
    expect(await dot().getAttribute('data-state')).toBe('up');

    const killedAt = Date.now();
    await killNode(`kafka${victim}`);
    try {
      await dot('down').waitFor({ timeout: 30_000 });
      measured.brokerDownShownMs = Date.now() - killedAt;
      expect(await tile().getAttribute('data-brokers-up')).toBe('2');
      expect(await tile().getAttribute('data-health')).not.toBe('ok');
      await expect(tile().locator('.reasons').innerText()).resolves.toContain(`broker ${victim} down`);
      await expect(tile().innerText()).resolves.toMatch(/Brokers 2\/3 up/);
      await shoot(overview, 'overview-broker-down');
      // For the record: when the cluster metadata itself drops the broker (its ZooKeeper session expiring).
      await eventually(async () => tile().getAttribute('data-brokers-registered'), (n) => n === '2', 40_000, 'the metadata dropping the broker').catch((error: Error) => {
        // Once in CI this stayed at 3 for 40 s after the kill (the dot had gone down after 5.9 s): say what the apps saw.
        throw new Error(`${error.message}\napps' warnings:\n${apps.map((a) => a.output().trim().split('\n').filter((line) => /"level":"(warn|error)"/.test(line)).slice(-8).join('\n')).join('\n---\n')}`);
      });
      measured.brokerUnregisteredShownMs = Date.now() - killedAt;
      // The topic page: the dead broker's replica of every partition out of sync, each row under-replicated.
      await topicPage.goto(`${gateway}/#/topics/${encodeURIComponent(`${prefix}.replicated`)}?cluster=${encodeURIComponent(cluster)}`);
      const outOfSync = topicPage.locator(`tr[data-partition] td[data-broker="${victim}"][data-replica="out-of-sync"]`);
      await eventually(async () => outOfSync.count(), (n) => n === 3, 30_000, `broker ${victim} out of sync in all three partitions`);
      await expect(outOfSync.first().innerText()).resolves.toContain('✕ out of sync');
      const badges = await eventually(() => topicPage.locator('tr[data-partition] .badge').allInnerTexts(), (texts) => texts.length === 3 && texts.every((t) => t.includes('UNDER-REPLICATED')), 15_000, 'three under-replicated rows');
      expect(badges.every((t) => t.startsWith('▲'))).toBe(true); // shape, not only colour
      expect(await topicPage.locator('tr[data-partition][data-state="warn"]').count()).toBe(3);
      expect(await topicPage.locator(`tr[data-partition] td[data-broker="${victim}"][data-replica="leader"]`).count()).toBe(0);
      await shoot(topicPage, 'topic-broker-down');
    } finally {
      await startNode(`kafka${victim}`);
    }
    const startedAt = Date.now();
    await dot('up').waitFor({ timeout: 60_000 });
    await eventually(async () => tile().getAttribute('data-brokers-up'), (up) => up === '3', 30_000, 'three brokers up again');
    measured.brokerUpShownAfterStartMs = Date.now() - startedAt;
    await eventually(async () => topicPage.locator('tr[data-partition][data-isr-brokers="1,2,3"]').count(), (n) => n === 3, 60_000, 'every partition back in sync');
    await topicPage.close();
    expect(measured.brokerDownShownMs).toBeLessThanOrEqual(DETECTION_LIMIT_MS);
  });

  it('shows the new ZooKeeper leader and the old one down after the leader is killed, and all three after it is started', async () => {
    const zookeeperPage = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    zookeeperPage.on('pageerror', (error) => pageErrors.push(error.message));
    await zookeeperPage.goto(`${gateway}/#/zookeeper?cluster=${encodeURIComponent(cluster)}`);
    const picture = zookeeperPage.locator('svg.ensemble');
    const old = await eventually(zookeeperLeader, (l) => l !== undefined, 30_000, 'a ZooKeeper leader');
    await eventually(async () => picture.locator('g[data-role="leader"]').getAttribute('data-server'), (s) => s === old!.server, 30_000, 'the leader in the picture');
    await eventually(async () => ensemble().getAttribute('data-zk-leader'), (s) => s === old!.server, 30_000, 'the leader on the ensemble tile');

    const killedAt = Date.now();
    await killNode(old!.name);
    try {
      const newLeader = await eventually(zookeeperLeader, (l) => l !== undefined && l.name !== old!.name, 30_000, 'a new ZooKeeper leader');
      await eventually(
        async () => ({
          leader: await picture.locator('g[data-role="leader"]').getAttribute('data-server', { timeout: 1000 }),
          oldRole: await picture.locator(`g[data-server="${old!.server}"]`).getAttribute('data-role', { timeout: 1000 }),
          // The third server reports its new role a collection after the election (it was "looking" once, in a run).
          followers: await picture.locator('g[data-role="follower"]').count(),
          crossed: await picture.locator('g[data-role="down"] .cross').count(),
        }),
        (p) => p.leader === newLeader!.server && p.oldRole === 'down' && p.followers === 1 && p.crossed === 1,
        30_000,
        `the picture with ${newLeader!.server} leading, one follower and ${old!.server} down and crossed`,
      );
      measured.zookeeperNewLeaderShownMs = Date.now() - killedAt;
      await shoot(zookeeperPage, 'zookeeper-leader-killed');
      // The overview's ensemble tile says the same, with a crown on the new leader and a cross on the old one.
      await eventually(async () => ensemble().getAttribute('data-zk-leader'), (s) => s === newLeader!.server, 15_000, 'the new leader on the ensemble tile');
      expect(await ensemble().locator(`[data-server="${old!.server}"]`).getAttribute('data-role')).toBe('down');
      expect(await ensemble().getAttribute('data-zk-up')).toBe('2');
      expect(await ensemble().getAttribute('data-health')).toBe('warn');
      await shoot(overview, 'overview-zookeeper-leader-killed');
    } finally {
      await startNode(old!.name);
    }
    await eventually(
      async () => picture.locator(`g[data-server="${old!.server}"]`).getAttribute('data-role', { timeout: 1000 }),
      (role) => role === 'follower' || role === 'leader',
      60_000,
      `${old!.server} back in the picture`,
    );
    expect(await picture.locator('g[data-role="down"]').count()).toBe(0);
    await eventually(async () => ensemble().getAttribute('data-zk-up'), (up) => up === '3', 30_000, 'three servers up on the tile');
    await zookeeperPage.close();
  });

  it('threw no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
