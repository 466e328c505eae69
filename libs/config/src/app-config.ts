import { hostname } from 'node:os';
import {
  Env,
  readBoolean,
  readEnum,
  readHostPortList,
  readIdentifier,
  readInt,
  readNumber,
  readPort,
  readSecret,
  readString,
  readUrl,
} from './env-readers';
import { ConfigError } from './config-error';
import { MonitoredCluster, readClusterFromEnv, readClustersFile } from './monitored-clusters';

/**
 * Every setting Doflamingo reads, parsed and validated once at start-up. Nothing else in the code
 * base reads process.env: apps receive this object through ConfigModule. docs/configuration.md and
 * the README's table list the same variables.
 */
export type AppName = 'agent' | 'processor' | 'gateway' | 'alerter' | 'anomaly-detector';

/** `ANOMALY_DETECTOR`: the app's name as it appears in environment variable names. */
export function envName(app: AppName): string {
  return app.toUpperCase().replace(/-/g, '_');
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: (typeof SASL_MECHANISMS)[number]; username: string; password: string };
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface ClickHouseConnection {
  url: string;
  database: string;
  username: string;
  password: string;
  requestTimeoutMs: number;
}

/** What the agent does, and how often. */
export interface AgentSettings {
  /** Collection interval per collector name, in ms. */
  intervalsMs: Record<CollectorName, number>;
  /** Batches waiting for Kafka are capped at this many bytes; the oldest are dropped past it. */
  bufferMaxBytes: number;
  metricsTopic: { partitions: number; replicationFactor: number; retentionHours: number };
}

/** How the processor consumes, aggregates and stores. */
export interface ProcessorSettings {
  consumerGroup: string;
  /** Kafka drops a silent member after this long and gives its partitions to the others. */
  sessionTimeoutMs: number;
  /** How long after a window ends (in event time) samples for it are still accepted. */
  allowedLatenessMs: number;
  /** A partition with no new events for this long has all its open windows closed. */
  idleFlushMs: number;
  /** Inserts wait at most this long to gather rows from several Kafka batches. */
  insertMaxWaitMs: number;
  /** ClickHouse inserts running at once, per table. */
  insertConcurrency: number;
  commitIntervalMs: number;
  /** Partitions whose batches are processed side by side (kafkajs partitionsConsumedConcurrently). */
  partitionsConcurrency: number;
  /** Events stamped further in the future than this are refused (a wrong agent clock would close every window). */
  maxFutureSkewMs: number;
  retentionDays: { raw: number; rollups10s: number; rollups1m: number; alerts: number };
  retentionIntervalMs: number;
  selfMetricsIntervalMs: number;
}

/** What the gateway serves, to whom, and how much. */
export interface GatewaySettings {
  /** `token`: every WebSocket upgrade and REST call needs one of `apiKeys`; `none`: open (the demo only). */
  auth: 'token' | 'none';
  apiKeys: string[];
  /** Origins allowed to open a WebSocket or call the API from a browser; `*` allows any. */
  allowedOrigins: string[];
  maxConnections: number;
  maxSubscriptionsPerConnection: number;
  maxFrameBytes: number;
  /** Live updates are coalesced per series and sent to each client at most once per tick. */
  clientTickMs: number;
  heartbeatMs: number;
  /** A client whose unsent data stays over this many bytes for `slowClientGraceMs` is disconnected. */
  clientBufferMaxBytes: number;
  slowClientGraceMs: number;
  /** A series not updated for this long is forgotten by the live store. */
  seriesTtlMs: number;
  seriesMaxRangeDays: number;
  seriesMaxPoints: number;
}

/** How the anomaly detector builds each series' baseline and when a sample counts as an anomaly (docs/consumers.md). */
export interface AnomalySettings {
  consumerGroup: string;
  /** Samples a series needs before it can be anomalous (the baseline means nothing before). */
  warmupSamples: number;
  /** Recent values per series the median and MAD are taken over. */
  windowSamples: number;
  /** k: a sample is anomalous when |value − centre| is over k robust standard deviations. */
  threshold: number;
  /** The robust standard deviation is never taken below max(minSpread, minSpreadRatio × |centre|): a flat series does not fire on every wiggle. */
  minSpread: number;
  minSpreadRatio: number;
  /** Series tracked at most; past it new series are ignored (and counted) until idle ones are forgotten. */
  maxSeries: number;
  /** A series with no sample for this long is forgotten. */
  seriesIdleMs: number;
}

/** What the alerter evaluates, and where it sends alerts. */
export interface AlerterSettings {
  consumerGroup: string;
  /** A YAML or JSON file with user rules (and overrides of built-in ones); parsed by the alerter at start-up. */
  rulesFile?: string;
  evaluationIntervalMs: number;
  webhooks: WebhookTarget[];
  webhookTimeoutMs: number;
  /** A webhook that keeps failing is retried with backoff for this long per alert event, then the event is dropped (logged, counted). */
  webhookGiveUpMs: number;
}

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export interface WebhookTarget {
  name: string;
  format: (typeof WEBHOOK_FORMATS)[number];
  url: string;
}

export const COLLECTOR_NAMES = ['kafka-cluster', 'consumer-groups', 'jmx', 'zookeeper', 'probe', 'log-dirs', 'agent'] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];
const DEFAULT_INTERVALS_MS: Record<CollectorName, number> = {
  'kafka-cluster': 10000,
  'consumer-groups': 10000,
  // 5 s: a dead or hung broker stops answering JMX long before it leaves the cluster metadata, so
  // this interval bounds how fast broker-down shows (dashboard, alerts: both target 15 s).
  jmx: 5000,
  zookeeper: 5000,
  probe: 5000,
  // Disks fill over hours: a "full within the horizon" projection needs no finer points.
  'log-dirs': 30000,
  agent: 10000,
};

export interface AppConfig {
  app: AppName;
  instanceId: string;
  logLevel: LogLevel;
  http: { host: string; port: number };
  /** The Kafka cluster that carries Doflamingo's own topics. */
  kafka: KafkaConnection;
  topicPrefix: string;
  clickhouse: ClickHouseConnection;
  /** The clusters the agent watches (DOFLAMINGO_CLUSTERS_FILE, or one from MONITOR_* variables). */
  clusters: MonitoredCluster[];
  agent: AgentSettings;
  processor: ProcessorSettings;
  gateway: GatewaySettings;
  alerter: AlerterSettings;
  anomaly: AnomalySettings;
}

export const DEFAULT_HTTP_PORTS: Record<AppName, number> = { agent: 9401, processor: 9402, gateway: 8080, alerter: 9403, 'anomaly-detector': 9404 };
const LOCAL_BROKERS = 'localhost:9092,localhost:9093,localhost:9094';

function readKafka(env: Env, prefix: '' | 'MONITOR_', clientId: string, fallbackBrokers: string): KafkaConnection {
  const mechanism = readEnum(env, `${prefix}KAFKA_SASL_MECHANISM`, ['none', ...SASL_MECHANISMS] as const, 'none');
  return {
    brokers: readHostPortList(env, `${prefix}KAFKA_BROKERS`, fallbackBrokers),
    clientId,
    ssl: readBoolean(env, `${prefix}KAFKA_SSL`, false),
    sasl:
      mechanism === 'none'
        ? undefined
        : {
            mechanism,
            username: readString(env, `${prefix}KAFKA_SASL_USERNAME`),
            password: readSecret(env, `${prefix}KAFKA_SASL_PASSWORD`) ?? '',
          },
    connectionTimeoutMs: readInt(env, 'KAFKA_CONNECTION_TIMEOUT_MS', 3000, 100, 120000),
    requestTimeoutMs: readInt(env, 'KAFKA_REQUEST_TIMEOUT_MS', 10000, 100, 300000),
  };
}

function readAgentSettings(env: Env): AgentSettings {
  const intervalsMs = Object.fromEntries(
    COLLECTOR_NAMES.map((name) => {
      const variable = `AGENT_INTERVAL_${name.toUpperCase().replace(/-/g, '_')}_MS`;
      return [name, readInt(env, variable, DEFAULT_INTERVALS_MS[name], 500, 3_600_000)];
    }),
  ) as Record<CollectorName, number>;
  return {
    intervalsMs,
    bufferMaxBytes: readInt(env, 'AGENT_BUFFER_MAX_BYTES', 64 * 1024 * 1024, 64 * 1024, 4 * 1024 * 1024 * 1024),
    metricsTopic: {
      partitions: readInt(env, 'METRICS_TOPIC_PARTITIONS', 6, 1, 1000),
      replicationFactor: readInt(env, 'METRICS_TOPIC_REPLICATION', 3, 1, 10),
      retentionHours: readInt(env, 'METRICS_TOPIC_RETENTION_HOURS', 72, 1, 24 * 365),
    },
  };
}

function readProcessorSettings(env: Env, topicPrefix: string): ProcessorSettings {
  return {
    consumerGroup: readIdentifier(env, 'PROCESSOR_CONSUMER_GROUP', `${topicPrefix}-processor`),
    sessionTimeoutMs: readInt(env, 'PROCESSOR_SESSION_TIMEOUT_MS', 30000, 6000, 300000),
    allowedLatenessMs: readInt(env, 'PROCESSOR_ALLOWED_LATENESS_MS', 15000, 0, 3_600_000),
    idleFlushMs: readInt(env, 'PROCESSOR_IDLE_FLUSH_MS', 30000, 100, 3_600_000),
    insertMaxWaitMs: readInt(env, 'PROCESSOR_INSERT_MAX_WAIT_MS', 100, 0, 60000),
    insertConcurrency: readInt(env, 'PROCESSOR_INSERT_CONCURRENCY', 2, 1, 32),
    commitIntervalMs: readInt(env, 'PROCESSOR_COMMIT_INTERVAL_MS', 2000, 100, 600000),
    partitionsConcurrency: readInt(env, 'PROCESSOR_PARTITIONS_CONCURRENCY', 3, 1, 64),
    maxFutureSkewMs: readInt(env, 'PROCESSOR_MAX_FUTURE_SKEW_MS', 300000, 1000, 86_400_000),
    retentionDays: {
      raw: readInt(env, 'RETENTION_RAW_DAYS', 7, 1, 3650),
      rollups10s: readInt(env, 'RETENTION_10S_DAYS', 30, 1, 3650),
      rollups1m: readInt(env, 'RETENTION_1M_DAYS', 365, 1, 36500),
      alerts: readInt(env, 'RETENTION_ALERTS_DAYS', 365, 1, 36500),
    },
    retentionIntervalMs: readInt(env, 'RETENTION_INTERVAL_MS', 3_600_000, 1000, 7 * 86_400_000),
    selfMetricsIntervalMs: readInt(env, 'PROCESSOR_SELF_METRICS_INTERVAL_MS', 10000, 500, 3_600_000),
  };
}

function readGatewaySettings(env: Env): GatewaySettings {
  const auth = readEnum(env, 'GATEWAY_AUTH', ['token', 'none'] as const, 'token');
  const apiKeys = (readSecret(env, 'GATEWAY_API_KEYS') ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (auth === 'token' && apiKeys.length === 0) {
    throw new ConfigError('GATEWAY_API_KEYS', 'at least one key when GATEWAY_AUTH=token (set GATEWAY_AUTH=none only for a demo)', undefined);
  }
  if (apiKeys.some((key) => key.length < 16)) throw new ConfigError('GATEWAY_API_KEYS', 'keys of 16 characters or more', '(hidden)');
  const origins = readString(env, 'GATEWAY_ALLOWED_ORIGINS', '*').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError('GATEWAY_ALLOWED_ORIGINS', 'a comma-separated list of origins like https://flamingo.example:8443, or *', origin);
  }
  return {
    auth,
    apiKeys,
    allowedOrigins: origins,
    maxConnections: readInt(env, 'GATEWAY_MAX_CONNECTIONS', 5000, 1, 1_000_000),
    maxSubscriptionsPerConnection: readInt(env, 'GATEWAY_MAX_SUBSCRIPTIONS', 100, 1, 10000),
    maxFrameBytes: readInt(env, 'GATEWAY_MAX_FRAME_BYTES', 65536, 256, 16 * 1024 * 1024),
    clientTickMs: readInt(env, 'GATEWAY_CLIENT_TICK_MS', 100, 10, 60000),
    heartbeatMs: readInt(env, 'GATEWAY_HEARTBEAT_MS', 15000, 1000, 600000),
    clientBufferMaxBytes: readInt(env, 'GATEWAY_CLIENT_BUFFER_MAX_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    slowClientGraceMs: readInt(env, 'GATEWAY_SLOW_CLIENT_GRACE_MS', 10000, 100, 600000),
    seriesTtlMs: readInt(env, 'GATEWAY_SERIES_TTL_MS', 600000, 10000, 86_400_000),
    seriesMaxRangeDays: readInt(env, 'GATEWAY_SERIES_MAX_RANGE_DAYS', 31, 1, 3650),
    seriesMaxPoints: readInt(env, 'GATEWAY_SERIES_MAX_POINTS', 10000, 10, 1_000_000),
  };
}

function readAnomalySettings(env: Env, topicPrefix: string): AnomalySettings {
  const name = (setting: string) => `${envName('anomaly-detector')}_${setting}`;
  return {
    consumerGroup: readIdentifier(env, name('CONSUMER_GROUP'), `${topicPrefix}-anomaly-detector`),
    warmupSamples: readInt(env, name('WARMUP_SAMPLES'), 30, 3, 100_000),
    windowSamples: readInt(env, name('WINDOW_SAMPLES'), 60, 5, 10_000),
    threshold: readNumber(env, name('THRESHOLD'), 6, 1, 1000),
    minSpread: readNumber(env, name('MIN_SPREAD'), 1e-3, 1e-12, 1e15),
    minSpreadRatio: readNumber(env, name('MIN_SPREAD_RATIO'), 0.01, 0, 10),
    maxSeries: readInt(env, name('MAX_SERIES'), 100_000, 1, 10_000_000),
    seriesIdleMs: readInt(env, name('SERIES_IDLE_MS'), 30 * 60_000, 1000, 7 * 86_400_000),
  };
}

/** ALERT_WEBHOOKS: `name=format:url,…`, e.g. `ops=json:https://ops.example/hook,chat=slack:https://hooks.example/T/B/X`. */
function readWebhooks(env: Env): WebhookTarget[] {
  const entries = readString(env, 'ALERT_WEBHOOKS', ' ').split(',').map((entry) => entry.trim()).filter(Boolean);
  const expected = 'a comma-separated list of name=json:URL or name=slack:URL';
  const targets = entries.map((entry): WebhookTarget => {
    const match = /^([a-zA-Z][a-zA-Z0-9_-]{0,63})=(json|slack):(https?:\/\/\S+)$/.exec(entry);
    if (!match) throw new ConfigError('ALERT_WEBHOOKS', expected, entry);
    try {
      new URL(match[3]);
    } catch {
      throw new ConfigError('ALERT_WEBHOOKS', `${expected} (the URL does not parse)`, entry);
    }
    return { name: match[1], format: match[2] as WebhookTarget['format'], url: match[3] };
  });
  if (new Set(targets.map((t) => t.name)).size !== targets.length) throw new ConfigError('ALERT_WEBHOOKS', `${expected}, with unique names`, '(duplicate name)');
  return targets;
}

function readAlerterSettings(env: Env, topicPrefix: string): AlerterSettings {
  const rulesFile = env.ALERT_RULES_FILE?.trim();
  return {
    consumerGroup: readIdentifier(env, 'ALERTER_CONSUMER_GROUP', `${topicPrefix}-alerter`),
    rulesFile: rulesFile || undefined,
    evaluationIntervalMs: readInt(env, 'ALERT_EVALUATION_INTERVAL_MS', 1000, 100, 60000),
    webhooks: readWebhooks(env),
    webhookTimeoutMs: readInt(env, 'ALERT_WEBHOOK_TIMEOUT_MS', 5000, 100, 120000),
    webhookGiveUpMs: readInt(env, 'ALERT_WEBHOOK_GIVE_UP_MS', 3_600_000, 1000, 7 * 86_400_000),
  };
}

/** Parses and validates the configuration of one app. Throws ConfigError naming the first bad variable. */
export function loadConfig(app: AppName, env: Env = process.env): AppConfig {
  const instanceId = readIdentifier(env, 'DOFLAMINGO_INSTANCE_ID', `${app}-${hostname()}-${process.pid}`);
  const kafka = readKafka(env, '', `doflamingo-${app}`, LOCAL_BROKERS);
  const topicPrefix = readIdentifier(env, 'TOPIC_PREFIX', 'doflamingo');
  return {
    app,
    instanceId,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    http: {
      host: readString(env, 'HTTP_HOST', '0.0.0.0'),
      port: readPort(env, `${envName(app)}_HTTP_PORT`, DEFAULT_HTTP_PORTS[app]),
    },
    kafka,
    topicPrefix,
    clickhouse: {
      url: readUrl(env, 'CLICKHOUSE_URL', 'http://localhost:8123'),
      database: readIdentifier(env, 'CLICKHOUSE_DATABASE', 'doflamingo', /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/),
      username: readString(env, 'CLICKHOUSE_USER', 'default'),
      password: readSecret(env, 'CLICKHOUSE_PASSWORD') ?? '',
      requestTimeoutMs: readInt(env, 'CLICKHOUSE_REQUEST_TIMEOUT_MS', 10000, 100, 600000),
    },
    clusters: env.DOFLAMINGO_CLUSTERS_FILE?.trim()
      ? readClustersFile(env.DOFLAMINGO_CLUSTERS_FILE.trim(), `doflamingo-${app}-monitor`, kafka)
      : [
          readClusterFromEnv(
            env,
            readIdentifier(env, 'DOFLAMINGO_CLUSTER', 'local'),
            readKafka(env, 'MONITOR_', `doflamingo-${app}-monitor`, kafka.brokers.join(',')),
          ),
        ],
    agent: readAgentSettings(env),
    processor: readProcessorSettings(env, topicPrefix),
    gateway: app === 'gateway' ? readGatewaySettings(env) : readGatewaySettings({ GATEWAY_AUTH: 'none' }),
    alerter: readAlerterSettings(app === 'alerter' ? env : {}, topicPrefix),
    anomaly: readAnomalySettings(app === 'anomaly-detector' ? env : {}, topicPrefix),
  };
}
