import { hostname } from 'node:os';
import {
  Env,
  readBoolean,
  readEnum,
  readHostPortList,
  readIdentifier,
  readInt,
  readPort,
  readSecret,
  readString,
  readUrl,
} from './env-readers';
import { MonitoredCluster, readClusterFromEnv, readClustersFile } from './monitored-clusters';

/**
 * Every setting Doflamingo reads, parsed and validated once at start-up. Nothing else in the code
 * base reads process.env: apps receive this object through ConfigModule. docs/configuration.md and
 * the README's table list the same variables.
 */
export type AppName = 'agent' | 'processor' | 'gateway';

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

export const COLLECTOR_NAMES = ['kafka-cluster', 'consumer-groups', 'jmx', 'zookeeper', 'probe', 'agent'] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];
const DEFAULT_INTERVALS_MS: Record<CollectorName, number> = {
  'kafka-cluster': 10000,
  'consumer-groups': 10000,
  jmx: 10000,
  zookeeper: 5000,
  probe: 5000,
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
}

const DEFAULT_HTTP_PORTS: Record<AppName, number> = { agent: 9401, processor: 9402, gateway: 8080 };
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

/** Parses and validates the configuration of one app. Throws ConfigError naming the first bad variable. */
export function loadConfig(app: AppName, env: Env = process.env): AppConfig {
  const instanceId = readIdentifier(env, 'DOFLAMINGO_INSTANCE_ID', `${app}-${hostname()}-${process.pid}`);
  const kafka = readKafka(env, '', `doflamingo-${app}`, LOCAL_BROKERS);
  return {
    app,
    instanceId,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    http: {
      host: readString(env, 'HTTP_HOST', '0.0.0.0'),
      port: readPort(env, `${app.toUpperCase()}_HTTP_PORT`, DEFAULT_HTTP_PORTS[app]),
    },
    kafka,
    topicPrefix: readIdentifier(env, 'TOPIC_PREFIX', 'doflamingo'),
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
  };
}
