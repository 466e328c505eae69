import { mkdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { Browser, chromium, Page } from 'playwright-core';
import { createClickHouseClient } from '@doflamingo/clickhouse';
import { ANOMALY_EVENT_SCHEMA_VERSION, AnomalyEvent, topicNames } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium';
import { devstackMonitorEnv } from '../support/devstack-env';
import { eventually } from '../support/eventually';
import { fourLetterWord } from '../support/four-letter-word';
import { freePort } from '../support/free-port';

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against the devstack:
 * processor, gateway (GATEWAY_AUTH=none, as `npm start` runs it) and an agent with their own topic
 * prefix, ClickHouse database and cluster name, plus a small workload of our own (a steady producer,
 * a consumer that keeps up and one that falls behind). Shared devstack nodes are never stopped.
 */
const prefix = `test-dash-${process.pid}`;
const cluster = `dash-${process.pid}`;
const database = `doflamingo_test_dash_${process.pid}`;
const topic = `${prefix}.orders`;
const fastGroup = `${prefix}-fast`;
const slowGroup = `${prefix}-slow`;
let gateway = '';
const screenshots = join(__dirname, '..', '..', 'test-results', 'screenshots');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ZooKeeper leader as the servers themselves say (srvr), as the agent labels servers: host:port. */
async function zookeeperLeader(): Promise<string | undefined> {
  for (const z of endpoints.zookeeperServers) {
    const srvr = await fourLetterWord(z.host, z.port, 'srvr').catch(() => '');
    if (/Mode: leader/.test(srvr)) return `${z.host}:${z.port}`;
  }
  return undefined;
}

describe('dashboard in a real browser (devstack)', () => {
  const apps: RunningApp[] = [];
  let browser: Browser;
  let page: Page;
  let producer: Producer;
  const consumers: Consumer[] = [];
  let producing = true;
  let otherOrigin: Server;
  const pageErrors: string[] = [];
  let gatewayEnv: Record<string, string> = {};

  beforeAll(async () => {
    const executablePath = ensureChromium();
    mkdirSync(screenshots, { recursive: true });
    const [gatewayPort, agentPort, processorPort] = [await freePort(), await freePort(), await freePort()];
    gateway = `http://127.0.0.1:${gatewayPort}`;
    const common = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' };
    apps.push(startApp('processor', { ...common, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_DATABASE: database, PROCESSOR_HTTP_PORT: String(processorPort) }));
    gatewayEnv = { ...common, LOG_LEVEL: 'info', CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_DATABASE: database, GATEWAY_AUTH: 'none', GATEWAY_HTTP_PORT: String(gatewayPort) };
    apps.push(startApp('gateway', gatewayEnv));
    apps.push(
      startApp('agent', {
        ...common,
        ...devstackMonitorEnv(),
        DOFLAMINGO_CLUSTER: cluster,
        AGENT_HTTP_PORT: String(agentPort),
        AGENT_INTERVAL_KAFKA_CLUSTER_MS: '2000',
        AGENT_INTERVAL_CONSUMER_GROUPS_MS: '2000',
        AGENT_INTERVAL_JMX_MS: '2000',
        AGENT_INTERVAL_ZOOKEEPER_MS: '2000',
      }),
    );

    // The workload: 3 partitions × 3 replicas, ~40 messages/s; one group keeps up, one reads 2/s.
    const kafka = new Kafka({ clientId: `${prefix}-workload`, brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    void (async () => {
      let n = 0;
      while (producing) {
        await producer.send({ topic, messages: Array.from({ length: 4 }, () => ({ key: String(n++ % 7), value: `order ${n}` })) }).catch(() => undefined);
        await sleep(100);
      }
    })();
    for (const [groupId, delay] of [
      [fastGroup, 0],
      [slowGroup, 500],
    ] as const) {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
      await consumer.connect();
      // Just after createTopics some brokers may not know the topic yet: retry the subscription.
      await eventually(() => consumer.subscribe({ topic, fromBeginning: true }).then(() => true), (ok) => ok, 30000, `subscribing to ${topic}`);
      await consumer.run({ autoCommitInterval: 1000, eachMessage: async () => {
        if (delay) await sleep(delay);
      } });
      consumers.push(consumer);
    }

    // A page on another origin that embeds the Web Component with one script tag.
    otherOrigin = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><head><title>Flamingo (test)</title></head><body><h1>Flamingo console</h1>
<script src="${gateway}/doflamingo-panel.js"></script>
<doflamingo-panel gateway="${gateway}" cluster="${cluster}" view="overview"></doflamingo-panel>
<doflamingo-panel gateway="${gateway}" cluster="${cluster}" view="zookeeper" theme="dark"></doflamingo-panel></body></html>`);
    });
    await new Promise<void>((resolve) => otherOrigin.listen(0, '127.0.0.1', resolve));

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // Wait until the gateway has the agent's first full round (brokers and ZooKeeper) for our cluster.
    await eventually(
      async () => (await fetch(`${gateway}/api/v1/clusters`)).json() as Promise<Array<{ name: string; brokersUp: number | null; zookeeper: { serversUp: number | null } | null }>>,
      (list) => list.some((c) => c.name === cluster && c.brokersUp !== null && c.zookeeper?.serversUp !== null && c.zookeeper !== null),
      60000,
      'the gateway having our cluster',
    ).catch((error: Error) => {
      const tails = apps.map((app) => app.output().trim().split('\n').slice(-5).join('\n')).join('\n---\n');
      throw new Error(`${error.message}\napp output:\n${tails}`);
    });
  }, 120000);

  afterAll(async () => {
    producing = false;
    await browser?.close().catch(() => undefined);
    await new Promise((resolve) => otherOrigin?.close(resolve));
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await producer?.disconnect().catch(() => undefined);
    for (const app of apps) app.child.kill('SIGTERM');
    await Promise.all(apps.map((app) => app.exited));
    const kafka = new Kafka({ clientId: `${prefix}-cleanup`, brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([fastGroup, slowGroup, `${prefix}-processor`]).catch(() => undefined);
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
    await admin.disconnect();
    const clickhouse = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 10000 });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  }, 60000);

  const open = async (view: string, extra = '') => {
    await page.goto(`${gateway}/#/${view}?cluster=${encodeURIComponent(cluster)}${extra}`);
    await page.locator('#connection[data-state="open"]').waitFor({ timeout: 15000 });
  };
  /** Waits until the chart for `metric` has plotted at least `min` points (uPlot's data, without the x axis); returns the counts. */
  const plotted = async (metric: string, root = page.locator('#view'), min = 1) => {
    const chart = root.locator(`figure.chart[data-metric="${metric}"]`).first();
    await eventually(async () => Number(await chart.getAttribute('data-points')), (n) => n >= min, 30000, `${min}+ points in the ${metric} chart`);
    return { points: Number(await chart.getAttribute('data-points')), series: Number(await chart.getAttribute('data-series')) };
  };
  const shoot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  it('serves the built dashboard at / and leaves /health and /api alone', async () => {
    const home = await fetch(`${gateway}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/<script type="module"[^>]+assets\/index-/);
    expect((await fetch(`${gateway}/api/v1/clusters`)).headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${gateway}/health`)).status).toBe(200);
    expect((await fetch(`${gateway}/api/v1/nope`)).status).toBe(404);
  });

  it('overview: a Kafka tile with the 3 brokers up and a controller, and a tile of its own for the 3-server ensemble with its leader', async () => {
    await open('overview');
    const tile = page.locator(`.tile.cluster[data-cluster="${cluster}"]`);
    const ensemble = page.locator(`.tile.ensemble[data-ensemble="${cluster}"]`);
    await eventually(async () => ensemble.getAttribute('data-zk-leader'), (leader) => !!leader, 30000, 'a ZooKeeper leader on the ensemble tile');
    expect(await tile.getAttribute('data-brokers-up')).toBe('3');
    expect(await tile.getAttribute('data-brokers-total')).toBe('3');
    expect(await tile.locator('.dot[data-state="up"]').count()).toBe(3); // a dot per broker, each named
    expect((await tile.locator('.dot[data-broker]').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-broker')))).sort()).toEqual(['1', '2', '3']);
    await expect(tile.innerText()).resolves.toMatch(/Brokers 3\/3 up/);
    await expect(tile.innerText()).resolves.toMatch(/Controller\s+broker [123]/);
    expect(await tile.locator('[data-server]').count()).toBe(0); // ZooKeeper is not inside the Kafka tile
    expect(await ensemble.getAttribute('data-zk-up')).toBe('3');
    expect(await ensemble.getAttribute('data-zk-total')).toBe('3');
    const leader = await zookeeperLeader();
    expect(await ensemble.getAttribute('data-zk-leader')).toBe(leader);
    expect(await ensemble.locator('[data-role="leader"]').getAttribute('data-server')).toBe(leader);
    expect(await ensemble.locator('[data-role="follower"]').count()).toBe(2);
    await shoot('overview');
    await page.locator('#theme').click(); // auto → light
    await page.locator('#theme').click(); // light → dark
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await tile.waitFor();
    await shoot('overview-dark');
    await page.locator('#theme').click(); // back to auto
  });

  it('brokers: three brokers up, one controller, throughput and idle charts with plotted points', async () => {
    await open('brokers');
    await eventually(async () => page.locator('.broker[data-up="true"]').count(), (n) => n === 3, 20000, 'three brokers up');
    expect(await page.locator('.broker .crown').count()).toBe(1);
    // A line per broker, each with at least two points (a drawn line, not a dot).
    expect((await plotted('kafka_broker_bytes_in_per_second', undefined, 6)).series).toBe(3);
    expect((await plotted('kafka_broker_messages_in_per_second', undefined, 6)).series).toBe(3);
    expect((await plotted('kafka_broker_request_handler_idle_ratio', undefined, 6)).series).toBe(3);
    expect((await plotted('kafka_broker_request_time_p99_seconds', undefined, 6)).series).toBe(3);
    await shoot('brokers');
  });

  it('topics: our topic with a live sparkline, and its page shows each partition with a leader and 3 in-sync replicas', async () => {
    await open('topics');
    const row = page.locator(`tr[data-topic="${topic}"]`);
    await row.waitFor({ timeout: 20000 });
    await plotted('kafka_topic_messages_in_per_second', row);
    await shoot('topics');
    await row.locator('a').click();
    const partitions = page.locator('tr[data-partition]');
    await eventually(async () => partitions.count(), (n) => n === 3, 20000, 'three partition rows');
    await eventually(async () => partitions.first().getAttribute('data-replicas'), (r) => r === '1,2,3', 20000, 'the replica list of a partition');
    for (const p of await partitions.all()) {
      const leader = await p.getAttribute('data-leader');
      expect(['1', '2', '3']).toContain(leader);
      expect(await p.getAttribute('data-isr')).toBe('3');
      expect(await p.getAttribute('data-replicas')).toBe('1,2,3');
      expect(await p.getAttribute('data-isr-brokers')).toBe('1,2,3');
      // Each broker's part by shape and word: the leader's cell, two in-sync followers, nothing out of sync.
      expect(await p.locator('td[data-replica="leader"]').getAttribute('data-broker')).toBe(leader);
      await expect(p.locator('td[data-replica="leader"]').innerText()).resolves.toContain('★ leader');
      expect(await p.locator('td[data-replica="in-sync"]').count()).toBe(2);
      expect(await p.locator('td[data-replica="out-of-sync"]').count()).toBe(0);
      await expect(p.locator('.badge').innerText()).resolves.toContain('IN SYNC');
    }
    await shoot('topic');
  });

  it('consumer groups: both groups listed, the lagging one WARN or ERR, lag charts with points for it', async () => {
    await open('groups');
    const slow = page.locator(`tr[data-group="${slowGroup}"]`);
    await page.locator(`tr[data-group="${fastGroup}"]`).waitFor({ timeout: 30000 });
    const status = await eventually(async () => slow.getAttribute('data-status'), (s) => s === 'WARN' || s === 'ERR', 60000, 'the slow group WARN or ERR');
    await expect(slow.locator('.badge').innerText()).resolves.toContain(status!);
    // It reads 2 of ~40 messages/s: its lag keeps rising on the page.
    const lagBefore = Number(await slow.getAttribute('data-lag'));
    await eventually(async () => Number(await slow.getAttribute('data-lag')), (lag) => lag > lagBefore + 20, 20000, 'the slow group lag rising');
    await plotted('kafka_consumer_group_lag');
    await plotted('kafka_consumer_group_max_lag_seconds');
    await shoot('consumer-groups');
  });

  it('ZooKeeper: the ensemble picture shows three servers, the real leader on top, and latency charts', async () => {
    await open('zookeeper');
    const nodes = page.locator('svg.ensemble g[data-server]');
    await eventually(async () => nodes.count(), (n) => n === 3, 20000, 'three servers in the picture');
    const leaders = page.locator('svg.ensemble g[data-role="leader"]');
    expect(await leaders.count()).toBe(1);
    expect(await leaders.getAttribute('data-server')).toBe(await zookeeperLeader());
    expect(await page.locator('svg.ensemble g[data-role="follower"]').count()).toBe(2);
    await plotted('zookeeper_request_latency_avg_seconds');
    await plotted('zookeeper_alive_connections');
    await shoot('zookeeper');
  });

  it('alerts: the live feed and the history render without errors', async () => {
    await open('alerts');
    await page.locator('ul.alerts[data-count]').waitFor({ timeout: 10000 });
    await page.locator('[data-section="alerts-history"] .body > :first-child').waitFor({ timeout: 15000 });
    expect(await page.locator('.load-error:not([hidden])').count()).toBe(0);
    await shoot('alerts');
  });

  it('history: a 1 h range loads points from ClickHouse through /api/v1/series', async () => {
    await open('brokers', '&range=1h');
    const loaded = page.locator('figure.chart[data-metric="kafka_broker_bytes_in_per_second"][data-history-points]');
    // The processor stores raw samples within seconds; the page is reloaded until the history has them.
    await eventually(
      async () => {
        await page.reload();
        await loaded.waitFor({ timeout: 10000 });
        return Number(await loaded.getAttribute('data-history-points'));
      },
      (n) => n > 0,
      45000,
      'history points in the bytes-in chart',
    );
    expect(await page.locator('#range').inputValue()).toBe('1h');
    await shoot('brokers-1h');
  });

  it('changing the range or the theme keeps every chart (no rebuild, no reload): history of the new range loads in place and live points keep coming', async () => {
    await open('brokers');
    const chart = page.locator('figure.chart[data-metric="kafka_broker_bytes_in_per_second"]');
    await plotted('kafka_broker_bytes_in_per_second', undefined, 3);
    const builds = await chart.getAttribute('data-builds');
    await chart.evaluate((el) => el.setAttribute('data-marker', 'same element'));
    await page.selectOption('#range', '1h');
    await eventually(async () => [await chart.getAttribute('data-range'), await chart.getAttribute('data-state')], ([range, state]) => range === '1h' && state === 'ready', 15000, 'the 1 h history loaded');
    expect(Number(await chart.getAttribute('data-history-points'))).toBeGreaterThan(0);
    await page.locator('#theme').click();
    await page.locator('#theme').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.selectOption('#range', 'live');
    await eventually(async () => chart.getAttribute('data-range'), (range) => range === 'live', 15000, 'back to live');
    const points = Number(await chart.getAttribute('data-points'));
    await eventually(async () => Number(await chart.getAttribute('data-points')), (n) => n > points, 20000, 'new live points');
    expect(await chart.getAttribute('data-marker')).toBe('same element'); // the view was not rendered again
    expect(await chart.getAttribute('data-builds')).toBe(builds); // nor the uPlot instance built again
    expect(await page.locator('#view').getAttribute('data-view')).toBe('brokers');
    await page.locator('#theme').click(); // back to auto
  });

  it('marks an anomaly of a charted series: the expected band and the value, counted in words', async () => {
    await open('brokers');
    const chart = page.locator('figure.chart[data-metric="kafka_broker_bytes_in_per_second"]');
    await plotted('kafka_broker_bytes_in_per_second', undefined, 3);
    // What the anomaly detector would publish for broker 1 (libs/contracts anomaly-event), through the gateway's anomalies channel.
    const at = Date.now() - 5000;
    // A value the chart has (so the mark is in view), above a band the test makes up below it.
    const brokers = (await (await fetch(`${gateway}/api/v1/clusters/${encodeURIComponent(cluster)}/brokers`)).json()) as { id: string; bytesInPerSecond: number | null }[];
    const value = brokers.find((b) => b.id === '1')?.bytesInPerSecond ?? 1000;
    const anomaly: AnomalyEvent = {
      schemaVersion: ANOMALY_EVENT_SCHEMA_VERSION,
      cluster,
      metric: 'kafka_broker_bytes_in_per_second',
      labels: { broker: '1' },
      at,
      value,
      basis: 'value',
      expected: { low: value * 0.3, center: value * 0.4, high: value * 0.5 },
      score: 40,
      direction: 'high',
      detector: 'test',
    };
    const elsewhere: AnomalyEvent = { ...anomaly, labels: { broker: '9' } }; // no such line on the chart: no mark
    await producer.send({ topic: topicNames(prefix).anomalies, messages: [anomaly, elsewhere].map((a) => ({ key: `${cluster}/${a.metric}`, value: JSON.stringify(a) })) });
    await eventually(async () => chart.getAttribute('data-anomalies'), (n) => n === '1', 20000, 'one anomaly marked on the bytes-in chart');
    await expect(chart.locator('.anomaly-note').innerText()).resolves.toMatch(/▲▼ 1 anomaly/);
    expect(await page.locator('figure.chart[data-metric="kafka_broker_bytes_out_per_second"]').getAttribute('data-anomalies')).toBe('0');
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: join(screenshots, 'brokers-anomaly.png') });
  });

  it('the Web Component renders inside a plain page from another origin', async () => {
    const origin = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}`;
    expect(origin).not.toBe(gateway);
    const embed = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
    const errors: string[] = [];
    embed.on('pageerror', (error) => errors.push(error.message));
    await embed.goto(`${origin}/`);
    const panel = embed.locator('doflamingo-panel[view="overview"]');
    const tile = panel.locator(`.tile.cluster[data-cluster="${cluster}"]`); // playwright locators pierce open shadow roots
    await tile.waitFor({ timeout: 20000 });
    expect(await tile.getAttribute('data-brokers-up')).toBe('3');
    expect(await panel.locator('.connection').getAttribute('data-state')).toBe('open');
    expect(await embed.locator('.tile.cluster').count()).toBe(1); // only the cluster it was given…
    expect(await embed.locator(`.tile.ensemble[data-ensemble="${cluster}"]`).count()).toBe(1); // …and its ensemble
    const zk = embed.locator('doflamingo-panel[view="zookeeper"]');
    await eventually(async () => zk.locator('svg.ensemble g[data-server]').count(), (n) => n === 3, 20000, 'the ensemble in the second panel');
    await plotted('zookeeper_alive_connections', zk);
    await embed.screenshot({ path: join(screenshots, 'web-component.png'), fullPage: true });
    expect(errors).toEqual([]);
    await embed.close();
  });

  it('after a gateway restart the page reconnects by itself and keeps updating', async () => {
    await open('zookeeper');
    const chart = page.locator('figure.chart[data-metric="zookeeper_alive_connections"]');
    await plotted('zookeeper_alive_connections');
    const gatewayApp = apps[1];
    gatewayApp.child.kill('SIGTERM');
    await gatewayApp.exited;
    await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: 10000 });
    const pointsWhileDown = Number(await chart.getAttribute('data-points'));
    apps[1] = startApp('gateway', gatewayEnv);
    await page.locator('#connection[data-state="open"]').waitFor({ timeout: 60000 });
    // Same view, no reload: new live points arrive on the resubscribed channel.
    await eventually(async () => Number(await chart.getAttribute('data-points')), (n) => n > pointsWhileDown, 30000, 'new points after the restart');
    expect(await page.locator('#view').getAttribute('data-view')).toBe('zookeeper');
    await shoot('zookeeper-after-gateway-restart');
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
