import { createClickHouseClient } from '@doflamingo/clickhouse';
import { envName } from '@doflamingo/config';
import { endpoints } from '../../devstack/topology';
import { AppName, RunningApp, startApp } from '../support/app-process';
import { eventually } from '../support/eventually';

const database = `doflamingo_apps_test_${process.pid}`;

afterAll(async () => {
  const client = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 10000 });
  await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client.close();
});

const ports: Record<AppName, number> = { agent: 19401, processor: 19402, gateway: 18080, alerter: 19403, 'anomaly-detector': 19404 };

function envFor(app: AppName, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    LOG_LEVEL: 'info',
    GATEWAY_API_KEYS: 'apps-test-key-0123456789',
    [`${envName(app)}_HTTP_PORT`]: String(ports[app]),
    ...extra,
  };
}

async function health(app: AppName): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${ports[app]}/health`);
  return { status: response.status, body: await response.json() };
}

/** Settings only one app reads, with a value each must refuse. */
const ownBadValues: Record<AppName, Array<[string, string]>> = {
  agent: [['AGENT_INTERVAL_JMX_MS', '10s']],
  processor: [
    ['PROCESSOR_IDLE_FLUSH_MS', 'soon'],
    ['RETENTION_RAW_DAYS', '0'],
  ],
  gateway: [
    ['GATEWAY_AUTH', 'maybe'],
    ['GATEWAY_ALLOWED_ORIGINS', 'flamingo.example'],
  ],
  alerter: [
    ['ALERT_WEBHOOKS', 'ops=ftp://ops.example/hook'],
    ['ALERT_RULES_FILE', '/nonexistent/rules.yaml'],
  ],
  'anomaly-detector': [
    ['ANOMALY_DETECTOR_THRESHOLD', 'high'],
    ['ANOMALY_DETECTOR_WARMUP_SAMPLES', '2'],
  ],
};

/** Apps whose consumer is replaced when kafkajs gives up on it: the health detail counting the replacements. */
const restartCounters: Partial<Record<AppName, string>> = { gateway: 'liveFeed', 'anomaly-detector': 'consumer' };

describe.each<[AppName, string[]]>([
  ['agent', ['kafka', 'publisher']],
  ['processor', ['kafka', 'clickhouse', 'schema', 'consumer', 'alertHistory']],
  ['gateway', ['kafka', 'clickhouse', 'liveFeed']],
  ['alerter', ['kafka', 'rules', 'webhooks']],
  ['anomaly-detector', ['kafka', 'consumer']],
])('the %s app', (app, dependencies) => {
  let running: RunningApp | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
  });

  it(`boots, reports ${dependencies.join(', ')} up on /health, logs JSON and stops cleanly on SIGTERM`, async () => {
    running = startApp(app, envFor(app));
    const { body } = await eventually(() => health(app), (h) => h.status === 200, 60000, `${app} /health 200`);
    expect(Object.keys(body.details).sort()).toEqual([...dependencies].sort());
    if (dependencies.includes('kafka')) expect(body.details.kafka.brokers).toBe(3);
    const counter = restartCounters[app];
    if (counter) expect(body.details[counter].restarts).toBe(0);

    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    const lines = running.output().trim().split('\n').filter(Boolean);
    const logs = lines.map((line) => JSON.parse(line) as { app: string; msg: string });
    expect(logs.every((log) => log.app === app)).toBe(true);
    expect(logs.at(-1)!.msg).toBe('stopped cleanly');
  });

  it.each([
    ['KAFKA_BROKERS', 'not-a-broker-list'],
    [`${envName(app)}_HTTP_PORT`, '0'],
    ['LOG_LEVEL', 'chatty'],
    ['CLICKHOUSE_URL', 'localhost:8123'],
    ...ownBadValues[app],
  ])('stops at start-up with one line naming %s when it is %j', async (variable, value) => {
    running = startApp(app, envFor(app, { [variable]: value }));
    const { code } = await running.exited;
    expect(code).toBe(78);
    const lines = running.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`doflamingo-${app}: invalid configuration: ${variable} is invalid`);
    expect(lines[0]).toContain(JSON.stringify(value));
  });
});
