import WebSocket from 'ws';
import { ConnectionState, DoflamingoClient, WebSocketConstructor } from '@doflamingo/client';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { devstackMonitorEnv } from '../support/devstack-env';
import { eventually } from '../support/eventually';

const prefix = `test-gwc-${process.pid}`;
const cluster = `gwc-${process.pid}`;
const KEY = 'gateway-client-test-key-0123';
const PORT = 18481;

describe('libs/client against the real gateway (devstack)', () => {
  let agent: RunningApp;
  let gateway: RunningApp;
  const startGateway = () =>
    startApp('gateway', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      TOPIC_PREFIX: prefix,
      GATEWAY_HTTP_PORT: String(PORT),
      GATEWAY_API_KEYS: KEY,
      GATEWAY_HEARTBEAT_MS: '2000',
      LOG_LEVEL: 'info',
    });

  beforeAll(async () => {
    gateway = startGateway();
    await eventually(async () => gateway.output(), (out) => out.includes('live feed consuming'), 60000, 'the gateway consuming');
    agent = startApp('agent', {
      ...devstackMonitorEnv(),
      TOPIC_PREFIX: prefix,
      DOFLAMINGO_CLUSTER: cluster,
      AGENT_HTTP_PORT: '19482',
      AGENT_INTERVAL_KAFKA_CLUSTER_MS: '2000',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    agent?.child.kill('SIGTERM');
    gateway?.child.kill('SIGTERM');
    await Promise.all([agent?.exited, gateway?.exited]);
  });

  it('reconnects and resubscribes by itself after a gateway restart, and keeps receiving live values', async () => {
    const states: ConnectionState[] = [];
    const client = new DoflamingoClient({
      url: `ws://127.0.0.1:${PORT}/ws`,
      token: KEY,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: { initialDelayMs: 200, maxDelayMs: 2000 },
    });
    client.onState(({ state }) => states.push(state));
    client.connect();
    try {
      const brokers = client.subscribe({ channel: 'metrics', cluster, metric: 'kafka_broker_up' });
      const newest = () => Math.max(0, ...brokers.values().map((s) => s.ts));
      await eventually(async () => brokers.values().length, (n) => n === 3, 60000, 'three brokers in the client store');

      gateway.child.kill('SIGTERM');
      await gateway.exited;
      const restartedAt = Date.now();
      await eventually(async () => states.at(-1), (s) => s === 'reconnecting', 10000, 'the client noticing');
      gateway = startGateway();

      await eventually(async () => newest(), (ts) => ts > restartedAt, 90000, 'values produced after the restart');
      expect(states.filter((s) => s === 'open').length).toBeGreaterThanOrEqual(2);
      expect(states.at(-1)).toBe('open');
      expect(brokers.values().map((s) => s.labels.broker).sort()).toEqual(['1', '2', '3']);
    } finally {
      client.close();
    }
  });
});
