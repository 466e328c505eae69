import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { chromium } from 'playwright-core';
import { createClickHouseClient } from '@doflamingo/clickhouse';
import { AlertEvent, MetricBatch } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { AlertsTopicReader } from '../support/alerts-topic-reader';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium';
import { RunningApp, startApp } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The alerter on a synthetic metric stream (its own topic prefix, cluster and ClickHouse database):
 * the alert lifecycle through Kafka, hysteresis, webhooks that fail then recover, the ClickHouse
 * history through the processor and the gateway, a restart, bad input and a bad rules file.
 * Faults on the real devstack are in alerter-faults.int-spec.ts.
 */
const prefix = `test-alerter-${process.pid}`;
const cluster = `alerter-${process.pid}`;
const database = `doflamingo_test_alerter_${process.pid}`;
const metric = 'test_synthetic_value';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rulesDir = mkdtempSync(join(tmpdir(), 'alerter-test-'));

const rulesFile = join(rulesDir, 'rules.yaml');
writeFileSync(
  rulesFile,
  `
disable: [zookeeper-mntr-unavailable]
rules:
  - name: synthetic-high
    metric: ${metric}
    op: ">"
    threshold: 10
    clearThreshold: 5
    for: 2s
    clearFor: 2s
    severity: warning
    message: "series {{series}} of {{cluster}} is at {{value}}"
`,
);

const idOf = (series: string) => `synthetic-high/${cluster}/series=${series}`;

describe('alerter (synthetic stream, devstack Kafka and ClickHouse)', () => {
  let producer: Producer;
  let reader: AlertsTopicReader;
  const flaky = new WebhookReceiver();
  const chat = new WebhookReceiver();
  let alerter: RunningApp;
  let alerterEnv: Record<string, string>;
  let alerterPort = 0;
  let gatewayUrl = '';
  const others: RunningApp[] = [];
  const clickhouse = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 10000 });

  async function publish(values: Record<string, number>): Promise<void> {
    const batch: MetricBatch = {
      schemaVersion: 1,
      cluster,
      source: { agentId: 'alerter-test', collector: 'synthetic' },
      timestamp: Date.now(),
      samples: Object.entries(values).map(([series, value]) => ({ metric, labels: { series }, value })),
    };
    await producer.send({ topic: `${prefix}.metrics`, messages: [{ key: `${cluster}/synthetic`, value: JSON.stringify(batch) }] });
  }

  /** Publishes `values` every 500 ms for `ms`. */
  async function hold(values: Record<string, number> | (() => Record<string, number>), ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await publish(typeof values === 'function' ? values() : values);
      await sleep(500);
    }
  }

  async function health(port: number): Promise<{ status: number; body: any }> {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return { status: response.status, body: await response.json() };
  }

  beforeAll(async () => {
    await Promise.all([flaky.start(), chat.start()]);
    const deadPort = await freePort();
    const [processorPort, gatewayPort] = [await freePort(), await freePort()];
    alerterPort = await freePort();
    const common = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_DATABASE: database };
    others.push(startApp('processor', { ...common, PROCESSOR_HTTP_PORT: String(processorPort) }));
    others.push(startApp('gateway', { ...common, GATEWAY_AUTH: 'none', GATEWAY_HTTP_PORT: String(gatewayPort) }));
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    alerterEnv = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'info',
      ALERTER_HTTP_PORT: String(alerterPort),
      ALERT_RULES_FILE: rulesFile,
      ALERT_EVALUATION_INTERVAL_MS: '250',
      ALERT_WEBHOOKS: `flaky=json:${flaky.url},chat=slack:${chat.url},dead=json:http://127.0.0.1:${deadPort}/hook`,
      ALERT_WEBHOOK_TIMEOUT_MS: '1000',
    };
    alerter = startApp('alerter', alerterEnv);
    const kafka = new Kafka({ clientId: `${prefix}-test`, brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    await eventually(() => health(alerterPort), (h) => h.status === 200, 90000, 'alerter /health 200 (rules evaluating, webhook consumers running)');
    reader = new AlertsTopicReader(endpoints.kafkaBrokers, `${prefix}.alerts`);
    await reader.start();
    await eventually(() => health(processorPort), (h) => h.status === 200, 90000, 'processor /health 200');
    await eventually(() => health(gatewayPort), (h) => h.status === 200, 90000, 'gateway /health 200');
  }, 180000);

  afterAll(async () => {
    for (const app of [alerter, ...others]) if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
    await Promise.all([alerter, ...others].map((app) => app?.exited));
    await reader?.stop();
    await producer?.disconnect();
    await Promise.all([flaky.stop(), chat.stop()]);
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('raises pending → firing → resolved once per series, and a value flapping around the threshold does not flap the alert', async () => {
    flaky.failWith = 503; // the flaky receiver is down for the whole episode
    await hold({ a: 20, b: 20 }, 4000);
    await eventually(async () => [reader.states(idOf('a')), reader.states(idOf('b'))], (s) => s.every((states) => states.join() === 'pending,firing'), 10000, 'a and b firing');
    let flip = false;
    await hold(() => ((flip = !flip) ? { a: 20, b: 20 } : { a: 7, b: 7 }), 3000); // 7 is above the clear threshold (5)
    await hold(() => ((flip = !flip) ? { a: 20, b: 20 } : { a: 3, b: 3 }), 3000); // 3 is below it, but never for clearFor (2 s)
    expect([reader.states(idOf('a')), reader.states(idOf('b'))]).toEqual([['pending', 'firing'], ['pending', 'firing']]);
    await hold({ a: 1, b: 1 }, 4000);
    await eventually(async () => [reader.states(idOf('a')), reader.states(idOf('b'))], (s) => s.every((states) => states.join() === 'pending,firing,resolved'), 10000, 'a and b resolved');

    const [pending, firing, resolved] = reader.of(idOf('a'));
    expect(firing).toMatchObject({ rule: 'synthetic-high', severity: 'warning', cluster, labels: { series: 'a' }, value: 20, startsAt: pending.startsAt, message: `series a of ${cluster} is at 20` });
    expect(firing.at - pending.at).toBeGreaterThanOrEqual(2000);
    expect(firing.firedAt).toBe(firing.at);
    expect(resolved).toMatchObject({ startsAt: pending.startsAt, firedAt: firing.firedAt, value: 1, message: `Resolved: series a of ${cluster} is at 1` });
    expect(reader.invalid).toEqual([]);
  }, 60000);

  it('delivers every firing and resolution to each webhook exactly once after retries; a failing webhook holds back no other', async () => {
    const notified = reader.events.filter((e) => e.state !== 'pending');
    expect(notified).toHaveLength(4);
    const keys = notified.map((e) => `${e.id}@${e.state}@${e.at}`).sort();

    // The Slack-compatible receiver got each one promptly, while `flaky` answered 503 and `dead` refused connections.
    await eventually(async () => chat.accepted().length, (n) => n >= 4, 10000, 'the chat webhook receiving 4 messages');
    expect(chat.accepted().map((r) => r.idempotencyKey).sort()).toEqual(keys);
    for (const request of chat.accepted()) {
      const event = notified.find((e) => `${e.id}@${e.state}@${e.at}` === request.idempotencyKey)!;
      expect(request.at - event.at).toBeLessThan(5000);
      expect(request.body.text).toContain(event.state === 'firing' ? '*FIRING* [warning] synthetic-high' : '*RESOLVED* [warning] synthetic-high');
      expect(request.body.text).toContain(event.message);
    }
    expect(flaky.requests.filter((r) => r.status === 503).length).toBeGreaterThan(0);

    flaky.failWith = undefined; // the receiver recovers: the retries get through, each event once
    await eventually(async () => flaky.accepted().length, (n) => n >= 4, 60000, 'the flaky webhook accepting 4 events after recovering');
    await sleep(3000); // anything delivered twice would arrive by now
    expect(flaky.accepted().map((r) => r.idempotencyKey).sort()).toEqual(keys);
    expect(flaky.accepted().map((r) => r.body as AlertEvent).sort((x, y) => x.at - y.at || x.id.localeCompare(y.id))).toEqual(
      [...notified].sort((x, y) => x.at - y.at || x.id.localeCompare(y.id)),
    );
    const { body } = await health(alerterPort);
    expect(body.details.webhooks.dead.failedAttempts).toBeGreaterThan(0);
    expect(body.details.webhooks.dead.delivered).toBe(0);
  }, 90000);

  it('keeps every event in ClickHouse, served by the gateway as history', async () => {
    const rows = await eventually(
      async () => (await clickhouse.query({ query: `SELECT id, toString(state) AS state FROM ${database}.alerts FINAL WHERE cluster = '${cluster}'`, format: 'JSONEachRow' })).json<{ id: string; state: string }>(),
      (r) => r.length >= reader.events.length,
      30000,
      'the alert history in ClickHouse',
    );
    expect(rows.map((r) => `${r.id}@${r.state}`).sort()).toEqual(reader.events.map((e) => `${e.id}@${e.state}`).sort());

    const response = await fetch(`${gatewayUrl}/api/v1/alerts/history?cluster=${cluster}&from=${Date.now() - 3_600_000}`);
    expect(response.status).toBe(200);
    const history = (await response.json()) as AlertEvent[];
    // ClickHouse keeps startsAt and firedAt to the second (DateTime); everything else exactly.
    const toSeconds = (e: AlertEvent) => ({ ...e, startsAt: Math.floor(e.startsAt / 1000), firedAt: e.firedAt == null ? null : Math.floor(e.firedAt / 1000) });
    // Newest first; ties by id (byte order), then resolved before firing before pending.
    const order = ['resolved', 'firing', 'pending'];
    const newestFirst = (x: AlertEvent, y: AlertEvent) => y.at - x.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0) || order.indexOf(x.state) - order.indexOf(y.state);
    expect(history.map(toSeconds)).toEqual([...reader.events].sort(newestFirst).map(toSeconds));

    const bad = await fetch(`${gatewayUrl}/api/v1/alerts/history?state=burning`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe('state: expected one of pending, firing, resolved, got "burning"');
  }, 60000);

  it('the dashboard draws the history as a timeline: one resolved episode per alert, none for what only was pending', async () => {
    const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${gatewayUrl}/#/alerts?cluster=${encodeURIComponent(cluster)}&range=1h`);
      const episodes = page.locator('[data-section="alerts-history"] .episode');
      await episodes.first().waitFor({ timeout: 20000 });
      const drawn = await episodes.evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-alert')}:${row.getAttribute('data-state')}`));
      expect(drawn.sort()).toEqual([`${idOf('a')}:resolved`, `${idOf('b')}:resolved`]);
      // The bar spans the firing time: wider than nothing, within the track.
      const width = (await page.locator(`[data-alert="${idOf('a')}"] .episode-bar`).boundingBox())?.width ?? 0;
      expect(width).toBeGreaterThan(0);
      expect(await page.locator('[data-section="alerts-history"] li.alert').count()).toBe(4); // firing and resolved of a and b
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60000);

  it('after a crash takes back a firing alert instead of raising it again, then resolves it once; malformed events are skipped', async () => {
    await hold({ c: 50 }, 3500);
    await eventually(async () => reader.states(idOf('c')), (s) => s.join() === 'pending,firing', 10000, 'c firing');
    alerter.child.kill('SIGKILL');
    await alerter.exited;

    alerter = startApp('alerter', alerterEnv);
    await eventually(() => health(alerterPort), (h) => h.status === 200, 90000, 'restarted alerter /health 200');
    expect(alerter.output()).toContain(idOf('c')); // "restoredFiring" in the start log
    await producer.send({ topic: `${prefix}.metrics`, messages: [{ value: 'not json' }, { value: JSON.stringify({ schemaVersion: 1, cluster }) }] });
    await hold({ c: 50 }, 4000);
    expect(reader.states(idOf('c'))).toEqual(['pending', 'firing']);
    await hold({ c: 0 }, 4000);
    await eventually(async () => reader.states(idOf('c')), (s) => s.join() === 'pending,firing,resolved', 10000, 'c resolved once');
    await sleep(2000);
    expect(reader.states(idOf('c'))).toEqual(['pending', 'firing', 'resolved']);
    expect(alerter.output()).toMatch(/skipping metric events that break the contract/);
    expect((await health(alerterPort)).status).toBe(200);
    await eventually(async () => flaky.accepted().filter((r) => r.idempotencyKey.startsWith(idOf('c'))).length, (n) => n === 2, 30000, 'c firing and resolved at the flaky webhook');
    await sleep(2000);
    expect(flaky.accepted().filter((r) => r.idempotencyKey.startsWith(idOf('c'))).map((r) => (r.body as AlertEvent).state)).toEqual(['firing', 'resolved']);
  }, 180000);

  it('stops at start-up on a rules file with a mistake, naming the file, the rule and the field', async () => {
    const bad = join(rulesDir, 'bad-rules.yaml');
    writeFileSync(bad, 'rules:\n  - {name: fine, metric: m, op: ">", threshold: 1, severity: info, message: ok}\n  - {name: typo-rule, metric: m, op: ">", threshold: 1, for: 3 minutes, severity: info, message: x}\n');
    const app = startApp('alerter', { ...alerterEnv, ALERTER_HTTP_PORT: String(await freePort()), ALERT_RULES_FILE: bad });
    expect(await app.exited).toEqual({ code: 78, signal: null });
    expect(app.output().trim()).toBe(
      `doflamingo-alerter: invalid configuration: ALERT_RULES_FILE is invalid: expected valid rules (see docs/alerts.md), got "${bad}: rules[1] (typo-rule): for: expected a duration like 30s, 5m or 2h (or whole milliseconds)"`,
    );
  }, 30000);
});
