import { Client as StompClient } from '@stomp/stompjs';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import WebSocket from 'ws';
import { AnomalyEvent, anomalyEventSchema, METRIC_EVENT_SCHEMA_VERSION, MetricBatch, MetricSample, ServerFrame, topicNames } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';

const prefix = `test-anom-${process.pid}`;
const topics = topicNames(prefix);
const cluster = `anom-${process.pid}`;
let DETECTOR_PORT: number;
let GATEWAY_PORT: number;
const KEY = 'anomaly-test-key-0123456789';
const WARMUP = 10;
/** One message key for every batch: the series all land in one partition, in order (as the agent's keys guarantee). */
const MESSAGE_KEY = `${cluster}/synthetic/cluster`;
const T0 = Date.now() - 3_600_000;
const STEP_MS = 10_000;

interface Health {
  status: number;
  consumer?: { eventsConsumed: number; eventsSkipped: number; samples: number; anomalies: number; published: number; status: string };
}

async function detectorHealth(): Promise<Health> {
  const response = await fetch(`http://127.0.0.1:${DETECTOR_PORT}/health`);
  const body = (await response.json()) as { details?: { consumer?: Health['consumer'] } };
  return { status: response.status, consumer: body.details?.consumer };
}

const batch = (at: number, samples: MetricSample[], batchCluster = cluster): MetricBatch => ({
  schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
  cluster: batchCluster,
  source: { agentId: 'anomaly-test', collector: 'synthetic' },
  timestamp: at,
  samples,
});

/** 100 ± 2, deterministic: a steady gauge with a little noise. */
const latencyAt = (i: number) => 100 + ((i * 7) % 5) - 2;
/** A counter growing ~50 per second (±1), sampled every 10 s. */
const requestsUntil = (i: number) => 1_000_000 + i * 500 + (i % 2);

describe('anomaly detector (devstack)', () => {
  let detector: RunningApp;
  let gateway: RunningApp;
  let producer: Producer;
  let reader: Consumer;
  const published: Array<{ key: string; event: AnomalyEvent }> = [];
  const invalidOnTopic: string[] = [];
  let socket: WebSocket;
  const frames: ServerFrame[] = [];
  let stomp: StompClient;
  const stompAnomalies: AnomalyEvent[] = [];
  const kafka = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });

  const detectorEnv = () => ({
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    ANOMALY_DETECTOR_HTTP_PORT: String(DETECTOR_PORT),
    ANOMALY_DETECTOR_WARMUP_SAMPLES: String(WARMUP),
    ANOMALY_DETECTOR_WINDOW_SAMPLES: '20',
    ANOMALY_DETECTOR_THRESHOLD: '6',
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    DETECTOR_PORT = await freePort();
    GATEWAY_PORT = await freePort();
    gateway = startApp('gateway', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      TOPIC_PREFIX: prefix,
      GATEWAY_HTTP_PORT: String(GATEWAY_PORT),
      GATEWAY_API_KEYS: KEY,
      LOG_LEVEL: 'info',
    });
    detector = startApp('anomaly-detector', detectorEnv());
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await eventually(detectorHealth, (h) => h.status === 200 && detector.output().includes('partitions assigned'), 60000, 'the detector consuming');
    await eventually(async () => gateway.output(), (out) => out.includes('live feed consuming'), 60000, 'the gateway consuming');

    reader = kafka.consumer({ groupId: `${prefix}-test-reader` });
    await reader.connect();
    await reader.subscribe({ topic: topics.anomalies, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const parsed = anomalyEventSchema.safeParse(JSON.parse(message.value!.toString()));
        if (parsed.success) published.push({ key: message.key!.toString(), event: parsed.data });
        else invalidOnTopic.push(parsed.error.message);
      },
    });

    socket = new WebSocket(`ws://127.0.0.1:${GATEWAY_PORT}/ws?access_token=${KEY}`, ['doflamingo.v1.json']);
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ op: 'subscribe', id: 'odd', channel: 'anomalies', cluster }));
    // The snapshot (the gateway's recent anomalies of this cluster: none yet) says the subscription is live.
    await eventually(async () => frames.find((f) => f.type === 'anomalies' && f.id === 'odd'), (f) => f !== undefined, 30000, 'the anomalies snapshot');

    stomp = new StompClient({ webSocketFactory: () => new WebSocket(`ws://127.0.0.1:${GATEWAY_PORT}/ws?access_token=${KEY}`, ['v12.stomp']), reconnectDelay: 0, debug: () => undefined });
    await new Promise<void>((resolve) => {
      stomp.onConnect = () => {
        stomp.subscribe(`/topic/anomaly/${cluster}`, (message) => stompAnomalies.push(...(JSON.parse(message.body) as { anomalies: AnomalyEvent[] }).anomalies), { receipt: 'r1' });
        stomp.watchForReceipt('r1', () => resolve());
      };
      stomp.activate();
    });
  });

  afterAll(async () => {
    socket?.terminate();
    await stomp?.deactivate();
    await reader?.disconnect();
    await producer?.disconnect();
    detector?.child.kill('SIGTERM');
    gateway?.child.kill('SIGTERM');
    await Promise.all([detector?.exited, gateway?.exited]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
    await admin.deleteGroups([`${prefix}-anomaly-detector`, `${prefix}-test-reader`]).catch(() => undefined);
    await admin.disconnect();
  });

  it('publishes one anomaly per episode, with the steady values inside the expected range, skips malformed events and stays healthy; the gateway forwards it live', async () => {
    const send = (value: Buffer | string | null) => producer.send({ topic: topics.metrics, acks: -1, messages: [{ key: MESSAGE_KEY, value }] });

    // The detector's new group starts at the end of the topic: probe (on the same partition) until it sees our messages.
    const before = (await detectorHealth()).consumer!.eventsConsumed;
    await eventually(
      async () => {
        await send(JSON.stringify(batch(Date.now(), [{ metric: 'probe', labels: {}, value: 1 }], `probe-${process.pid}`)));
        return (await detectorHealth()).consumer!.eventsConsumed;
      },
      (consumed) => consumed > before,
      60000,
      'the detector reading our partition',
    );
    const start = (await detectorHealth()).consumer!;

    // 40 steady samples of a gauge and a counter, three malformed events among them, then a spike of both, then calm.
    const steady = Array.from({ length: 40 }, (_, i) => latencyAt(i));
    const sample = (i: number, latency: number, requests: number): MetricSample[] => [
      { metric: 'test_request_latency_ms', labels: { broker: '1' }, value: latency },
      { metric: 'test_requests_total', labels: { broker: '1' }, value: requests },
    ];
    const malformed: Array<Buffer | string | null> = ['{"schemaVersion":', JSON.stringify({ ...batch(T0, []), schemaVersion: 99 }), null];
    let messages = 0;
    for (let i = 0; i < 40; i++) {
      await send(JSON.stringify(batch(T0 + i * STEP_MS, sample(i, steady[i], requestsUntil(i)))));
      messages++;
      if (i % 13 === 5) {
        await send(malformed.shift()!);
        messages++;
      }
    }
    expect(malformed).toEqual([]);
    // The spike: latency ×4; the counter grows 100× faster for one interval. Then back to normal.
    const spikeAt = T0 + 40 * STEP_MS;
    let requests = requestsUntil(39) + 50_000;
    await send(JSON.stringify(batch(spikeAt, sample(40, 400, requests))));
    await send(JSON.stringify(batch(spikeAt + STEP_MS, sample(41, 410, (requests += 500)))));
    for (let i = 42; i < 47; i++) await send(JSON.stringify(batch(T0 + i * STEP_MS, sample(i, latencyAt(i), (requests += 500)))));
    messages += 7;

    const health = await eventually(detectorHealth, (h) => (h.consumer?.eventsConsumed ?? 0) >= start.eventsConsumed + messages, 60000, 'the detector reading every message');
    expect(health.status).toBe(200);
    expect(health.consumer!.eventsSkipped - start.eventsSkipped).toBe(3);

    const ours = await eventually(async () => published.filter((p) => p.event.cluster === cluster), (list) => list.length >= 2, 30000, 'two anomalies on the anomalies topic');
    // Nothing else comes: give a late third event the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(invalidOnTopic).toEqual([]);
    expect(published.filter((p) => p.event.cluster === cluster)).toHaveLength(2);

    const latency = ours.find((p) => p.event.metric === 'test_request_latency_ms')!;
    expect(latency.key).toBe(`${cluster}/test_request_latency_ms`);
    expect(latency.event).toMatchObject({ labels: { broker: '1' }, at: spikeAt, value: 400, direction: 'high', basis: 'value', detector: 'ewma-mad(k=6,window=20)' });
    expect(latency.event.expected.low).toBeLessThanOrEqual(Math.min(...steady));
    expect(latency.event.expected.high).toBeGreaterThanOrEqual(Math.max(...steady));
    expect(latency.event.expected.high).toBeLessThan(400);
    expect(latency.event.score).toBeGreaterThan(6);

    const counter = ours.find((p) => p.event.metric === 'test_requests_total')!;
    expect(counter.key).toBe(`${cluster}/test_requests_total`);
    expect(counter.event).toMatchObject({ at: spikeAt, basis: 'rate', direction: 'high' });
    expect(counter.event.value).toBeCloseTo(50_000 / 10, 6); // per second, over the 10 s interval
    expect(counter.event.expected.low).toBeLessThanOrEqual(49.9);
    expect(counter.event.expected.high).toBeGreaterThanOrEqual(50.1);

    // Skipped events are logged once per interval, with a count, and never crash the detector.
    const skipLogs = detector.output().split('\n').filter((line) => line.includes('skipping metric events that break the contract'));
    expect(skipLogs).toHaveLength(1);
    expect(JSON.parse(skipLogs[0])).toMatchObject({ level: 'warn', skippedSinceLastLog: 1, reason: expect.stringMatching(/^not JSON/) });
    expect(detector.child.exitCode).toBeNull();
    expect((await detectorHealth()).status).toBe(200);

    // Offsets are committed once the anomalies are out: the group's offset reaches the end of the partition (a restart resumes there).
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topics.metrics);
      await eventually(
        async () => (await admin.fetchOffsets({ groupId: `${prefix}-anomaly-detector`, topics: [topics.metrics] }))[0].partitions,
        (committed) => ends.every((end) => end.high === '0' || committed.find((c) => c.partition === end.partition)?.offset === end.high),
        30000,
        'the offsets committed to the end of the topic',
      );
    } finally {
      await admin.disconnect();
    }

    // The gateway forwards both, live, to the JSON channel and to STOMP.
    const live = await eventually(
      async () => frames.flatMap((f) => (f.type === 'anomalies' && f.id === 'odd' ? f.anomalies : [])),
      (list) => list.length >= 2,
      30000,
      'the anomalies over the WebSocket',
    );
    expect(live.map((a) => a.metric).sort()).toEqual(['test_request_latency_ms', 'test_requests_total']);
    expect(live.find((a) => a.metric === 'test_request_latency_ms')).toEqual(latency.event);
    await eventually(async () => stompAnomalies.length, (n) => n >= 2, 30000, 'the anomalies over STOMP');
    expect(stompAnomalies.map((a) => a.metric).sort()).toEqual(['test_request_latency_ms', 'test_requests_total']);
  });

  it('after a restart resumes at its committed offsets: nothing judged twice, no anomaly repeated, baselines warm up again', async () => {
    const send = (at: number, latency: number) =>
      producer.send({ topic: topics.metrics, acks: -1, messages: [{ key: MESSAGE_KEY, value: JSON.stringify(batch(at, [{ metric: 'test_request_latency_ms', labels: { broker: '1' }, value: latency }])) }] });
    const before = published.length;
    detector.child.kill('SIGTERM');
    expect(await detector.exited).toEqual({ code: 0, signal: null });
    detector = startApp('anomaly-detector', detectorEnv());
    await eventually(detectorHealth, (h) => h.status === 200 && detector.output().includes('partitions assigned'), 60000, 'the restarted detector consuming');

    // Warm-up again: WARMUP - 1 steady samples, a spike that is not judged yet, then enough steady ones and a spike that is.
    const from = T0 + 100 * STEP_MS;
    let i = 0;
    for (; i < WARMUP - 1; i++) await send(from + i * STEP_MS, latencyAt(i));
    await send(from + i++ * STEP_MS, 900);
    for (let n = 0; n < 5; n++, i++) await send(from + i * STEP_MS, latencyAt(i));
    const spikeAt = from + i++ * STEP_MS;
    await send(spikeAt, 1000);
    const sent = i;

    const health = await eventually(detectorHealth, (h) => (h.consumer?.eventsConsumed ?? 0) >= sent, 60000, 'the restarted detector reading the new messages');
    // Exactly the new messages: what was committed before the restart is not read again.
    expect(health.consumer).toMatchObject({ eventsConsumed: sent, eventsSkipped: 0, replays: 0, restarts: 0 });
    const fresh = await eventually(async () => published.slice(before), (list) => list.length >= 1, 30000, 'the anomaly after the restart');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(published.slice(before).map((p) => [p.event.at, p.event.value])).toEqual([[spikeAt, 1000]]);
    expect(fresh[0].event.expected.low).toBeLessThanOrEqual(98);
  });
});
