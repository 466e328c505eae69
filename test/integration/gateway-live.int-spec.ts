import { Client as StompClient, IMessage } from '@stomp/stompjs';
import { CompressionTypes, Kafka, logLevel, Producer } from 'kafkajs';
import WebSocket from 'ws';
import { ALERT_EVENT_SCHEMA_VERSION, AlertEvent, METRIC_EVENT_SCHEMA_VERSION, MetricSample, ServerFrame, topicNames } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { devstackMonitorEnv } from '../support/devstack-env';
import { eventually } from '../support/eventually';

const prefix = `test-gw-${process.pid}`;
const topics = topicNames(prefix);
const cluster = `gw-${process.pid}`;
const KEY = 'gateway-test-key-0123456789';
const PORT = 18480;
const url = (token: string | null = KEY) => `ws://127.0.0.1:${PORT}/ws${token === null ? '' : `?access_token=${token}`}`;

/** A JSON-protocol client that records every frame. */
class JsonClient {
  readonly frames: Array<ServerFrame & { receivedAt: number }> = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  closed?: { code: number; reason: string };

  constructor(address = url(), protocols: string[] = ['doflamingo.v1.json']) {
    this.socket = new WebSocket(address, protocols);
    this.socket.on('message', (data) => this.frames.push({ ...(JSON.parse(data.toString()) as ServerFrame), receivedAt: Date.now() }));
    this.socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async next<T extends ServerFrame['type']>(type: T, match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true, after = 0): Promise<Extract<ServerFrame, { type: T }> & { receivedAt: number }> {
    const found = await eventually(
      async () => this.frames.slice(after).find((f) => f.type === type && match(f as unknown as Extract<ServerFrame, { type: T }>)),
      (f) => f !== undefined,
      30000,
      `a ${type} frame`,
    );
    return found as unknown as Extract<ServerFrame, { type: T }> & { receivedAt: number };
  }
}

describe('gateway live stream (devstack)', () => {
  let agent: RunningApp;
  let gateway: RunningApp;
  let producer: Producer;
  const clients: JsonClient[] = [];

  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    gateway = startApp('gateway', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      TOPIC_PREFIX: prefix,
      GATEWAY_HTTP_PORT: String(PORT),
      GATEWAY_API_KEYS: KEY,
      GATEWAY_CLIENT_BUFFER_MAX_BYTES: '65536',
      GATEWAY_SLOW_CLIENT_GRACE_MS: '2000',
      GATEWAY_HEARTBEAT_MS: '2000',
      LOG_LEVEL: 'info',
    });
    await eventually(async () => gateway.output(), (out) => out.includes('live feed consuming'), 60000, 'the gateway consuming');
    agent = startApp('agent', {
      ...devstackMonitorEnv(),
      TOPIC_PREFIX: prefix,
      DOFLAMINGO_CLUSTER: cluster,
      AGENT_HTTP_PORT: '19481',
      AGENT_INTERVAL_KAFKA_CLUSTER_MS: '2000',
      AGENT_INTERVAL_ZOOKEEPER_MS: '2000',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.terminate();
    agent?.child.kill('SIGTERM');
    gateway?.child.kill('SIGTERM');
    await Promise.all([agent?.exited, gateway?.exited]);
    await producer.disconnect();
    const admin = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
    await admin.disconnect();
  });

  const open = async (client = new JsonClient()) => {
    clients.push(client);
    await client.opened;
    return client;
  };

  it('gives a JSON client a snapshot of the matching series, then live values from the agent', async () => {
    // Wait until the agent has published once, so the snapshot has something in it.
    const probe = await open();
    probe.send({ op: 'subscribe', id: 'probe', channel: 'metrics', cluster, metric: 'kafka_brokers_up' });
    await probe.next('update', (f) => f.id === 'probe');

    const client = await open();
    expect(await client.next('welcome')).toMatchObject({ protocol: 1, heartbeatMs: 2000, limits: { maxSubscriptions: 100 } });
    client.send({ op: 'subscribe', id: 'brokers', channel: 'metrics', cluster, metric: 'kafka_broker_up' });
    await client.next('subscribed', (f) => f.id === 'brokers');
    const snapshot = await client.next('snapshot', (f) => f.id === 'brokers');
    expect(snapshot.samples.map((s) => s.labels.broker).sort()).toEqual(['1', '2', '3']);
    expect(snapshot.samples.every((s) => s.cluster === cluster && s.metric === 'kafka_broker_up' && s.value === 1)).toBe(true);

    const newest = Math.max(...snapshot.samples.map((s) => s.ts));
    const update = await client.next('update', (f) => f.id === 'brokers' && f.samples.some((s) => s.ts > newest));
    expect(update.samples.every((s) => s.metric === 'kafka_broker_up')).toBe(true);
  });

  it('serves a STOMP client (@stomp/stompjs) on the same endpoint: snapshot, then live values, on /topic/kafka and /topic/zookeeper', async () => {
    const messages: Array<{ destination: string; body: { type: string; samples?: Array<{ metric: string; ts: number }> } }> = [];
    const stomp = new StompClient({
      webSocketFactory: () => new WebSocket(url(), ['v12.stomp']),
      reconnectDelay: 0,
      debug: () => undefined,
    });
    const connected = new Promise<void>((resolve) => (stomp.onConnect = () => resolve()));
    stomp.activate();
    try {
      await connected;
      const record = (message: IMessage) => messages.push({ destination: message.headers.destination, body: JSON.parse(message.body) });
      stomp.subscribe(`/topic/kafka/${cluster}/kafka_broker_up`, record);
      stomp.subscribe(`/topic/zookeeper/${cluster}`, record);
      const kafkaMessages = () => messages.filter((m) => m.destination.startsWith('/topic/kafka/'));
      await eventually(async () => kafkaMessages().map((m) => m.body.type), (types) => types[0] === 'snapshot' && types.includes('update'), 30000, 'a kafka snapshot then an update');
      await eventually(async () => messages.filter((m) => m.destination.startsWith('/topic/zookeeper/') && m.body.type === 'update').length, (n) => n > 0, 30000, 'ZooKeeper updates');
      const zookeeperMetrics = messages.filter((m) => m.destination.startsWith('/topic/zookeeper/')).flatMap((m) => m.body.samples ?? []).map((s) => s.metric);
      expect(zookeeperMetrics.length).toBeGreaterThan(0);
      expect(zookeeperMetrics.every((metric) => metric.startsWith('zookeeper_'))).toBe(true);
      expect(kafkaMessages().flatMap((m) => m.body.samples ?? []).every((s) => s.metric === 'kafka_broker_up')).toBe(true);
    } finally {
      await stomp.deactivate();
    }
  });

  it('delivers an alert to the JSON alerts channel and to STOMP /topic/alarm', async () => {
    const client = await open();
    client.send({ op: 'subscribe', id: 'alerts', channel: 'alerts', cluster });
    await client.next('subscribed', (f) => f.id === 'alerts');
    const alarms: AlertEvent[] = [];
    const stomp = new StompClient({ webSocketFactory: () => new WebSocket(url(), ['v12.stomp']), reconnectDelay: 0, debug: () => undefined });
    const subscribed = new Promise<void>((resolve) => {
      stomp.onConnect = () => {
        stomp.subscribe('/topic/alarm', (message) => alarms.push(...((JSON.parse(message.body) as { alerts: AlertEvent[] }).alerts ?? [])), { receipt: 'r1' });
        stomp.watchForReceipt('r1', () => resolve());
      };
    });
    stomp.activate();
    try {
      await subscribed;
      const alert: AlertEvent = {
        schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
        id: `broker-down/${cluster}/2`,
        rule: 'broker-down',
        state: 'firing',
        severity: 'critical',
        cluster,
        labels: { broker: '2' },
        message: 'broker 2 is down',
        value: 0,
        startsAt: Date.now() - 5000,
        at: Date.now(),
      };
      await producer.send({ topic: topics.alerts, messages: [{ key: alert.id, value: JSON.stringify(alert) }] });
      const frame = await client.next('alerts', (f) => f.id === 'alerts' && f.alerts.some((a) => a.id === alert.id));
      expect(frame.alerts.find((a) => a.id === alert.id)).toEqual(alert);
      await eventually(async () => alarms.find((a) => a.id === alert.id), (a) => a !== undefined, 30000, 'the alarm over STOMP');
    } finally {
      await stomp.deactivate();
    }
  });

  it('answers every bad frame with its typed error, and the same connection then subscribes', async () => {
    const client = await open();
    const cases: Array<[unknown, string]> = [
      ['{"op":', 'bad_json'],
      [{ op: 'launch' }, 'unknown_op'],
      [{ op: 'subscribe', id: 'x', channel: 'metrics', metric: 'kafka_[' }, 'bad_pattern'],
      [{ op: 'subscribe', id: 'y', channel: 'nowhere' }, 'bad_frame'],
      [{ op: 'unsubscribe', id: 'never' }, 'unknown_subscription'],
      ['x'.repeat(70_000), 'frame_too_large'],
    ];
    for (const [frame, code] of cases) {
      const before = client.frames.length;
      client.send(frame);
      const error = await client.next('error', () => true, before);
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    for (let i = 0; i < 100; i++) client.send({ op: 'subscribe', id: `s${i}`, channel: 'rollups', cluster });
    const before = client.frames.length;
    client.send({ op: 'subscribe', id: 'one-too-many', channel: 'rollups' });
    expect((await client.next('error', () => true, before)).code).toBe('too_many_subscriptions');
    client.send({ op: 'unsubscribe', id: 's0' });
    await client.next('unsubscribed', (f) => f.id === 's0');
    client.send({ op: 'subscribe', id: 'ok', channel: 'metrics', cluster, metric: 'kafka_brokers_up' });
    const snapshot = await client.next('snapshot', (f) => f.id === 'ok');
    expect(snapshot.samples).toHaveLength(1);
    expect(client.closed).toBeUndefined();
  });

  it('refuses the upgrade without a key or with a wrong one (401)', async () => {
    for (const token of [null, 'wrong-key-wrong-key-wrong']) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url(token));
        socket.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => reject(new Error('upgrade accepted without a valid key')));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
  });

  it('cuts off a client that never reads, without delaying a normal client', async () => {
    const normal = await open();
    normal.send({ op: 'subscribe', id: 'n', channel: 'metrics', cluster: 'flood', metric: 'flood_probe' });
    await normal.next('subscribed');
    const slow = await open();
    slow.send({ op: 'subscribe', id: 'all', channel: 'metrics', cluster: 'flood' });
    await slow.next('snapshot');
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading: TCP fills, then ws buffers

    // Flood: 4 000 series every 100 ms for up to 20 s, plus one probe series the normal client watches.
    const latencies: number[] = [];
    const started = Date.now();
    let round = 0;
    const cutOff = () => gateway.output().includes('slow client disconnected');
    while (!cutOff() && Date.now() - started < 30000) {
      const now = Date.now();
      const samples: MetricSample[] = Array.from({ length: 4000 }, (_, i) => ({ metric: 'flood_series', labels: { i: String(i), pad: 'x'.repeat(40) }, value: round + i }));
      samples.push({ metric: 'flood_probe', labels: {}, value: now });
      const event = { schemaVersion: METRIC_EVENT_SCHEMA_VERSION, cluster: 'flood', source: { agentId: 't', collector: 'flood' }, timestamp: now, samples };
      await producer.send({ topic: topics.metrics, compression: CompressionTypes.GZIP, messages: [{ key: 'flood', value: JSON.stringify(event) }] });
      round++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(gateway.output()).toMatch(/"reason":"too slow: over 65536 bytes unsent for 2 s".*"msg":"slow client disconnected"/);
    // A client that does not read cannot see the close frame (4008): the gateway drops the connection after sending it.
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await eventually(async () => slow.closed, (c) => c !== undefined, 30000, 'the slow client seeing its connection closed');

    for (const frame of normal.frames) {
      if (frame.type !== 'update') continue;
      for (const sample of frame.samples) latencies.push(frame.receivedAt - sample.value);
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    expect(latencies.length).toBeGreaterThan(10);
    // The normal client kept getting the probe within a second, while the slow one was choking.
    expect(p99).toBeLessThan(1000);
  });
});
