import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { Env, readHostPortList, readSecret, readUrlList } from './env-readers';
import { BrokerLogDir, logDirsFileSchema, readLogDirs } from './log-dirs';
import type { KafkaConnection } from './app-config';

/**
 * The clusters an agent watches. One cluster comes from MONITOR_* variables; several come from a
 * JSON file named by DOFLAMINGO_CLUSTERS_FILE (see docs/configuration.md), validated here so that a
 * mistake names the cluster and the field.
 */
export interface MonitoredCluster {
  /** Appears in every metric batch; unique per agent. */
  name: string;
  kafka: KafkaConnection;
  /** Absent for KRaft clusters: there is no ZooKeeper to watch. */
  zookeeper?: {
    servers: string[];
    /** AdminServer base URLs, used when four-letter words are disabled. Same order as servers. */
    adminUrls: string[];
    digest?: { username: string; password: string };
  };
  jolokia: { urls: string[]; username?: string; password?: string };
  /** Prometheus JMX-exporter endpoints, a second JMX source. */
  prometheusUrls: string[];
  /** Brokers' log directories the agent can see (on their host, or mounted); empty: no disk metrics. */
  logDirs: BrokerLogDir[];
}

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):\d{1,5}$/, 'expected host:port');
const httpUrl = z
  .string()
  .url()
  .refine((url) => /^https?:\/\//.test(url), 'expected an http(s) URL')
  .transform((url) => url.replace(/\/+$/, ''));
const name = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'expected letters, digits, _ . - (starting with a letter)');

const clusterFileSchema = z
  .object({
    clusters: z
      .array(
        z
          .object({
            name,
            kafka: z
              .object({
                brokers: z.array(hostPort).min(1),
                ssl: z.boolean().default(false),
                sasl: z
                  .object({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: z.string().min(1), password: z.string() })
                  .strict()
                  .optional(),
              })
              .strict(),
            zookeeper: z
              .object({
                servers: z.array(hostPort).min(1),
                adminUrls: z.array(httpUrl).default([]),
                digest: z.object({ username: z.string().min(1), password: z.string() }).strict().optional(),
              })
              .strict()
              .optional(),
            jolokia: z
              .object({ urls: z.array(httpUrl).default([]), username: z.string().optional(), password: z.string().optional() })
              .strict()
              .default({ urls: [] }),
            prometheusUrls: z.array(httpUrl).default([]),
            logDirs: logDirsFileSchema,
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine((file) => new Set(file.clusters.map((c) => c.name)).size === file.clusters.length, 'cluster names must be unique');

type Timeouts = Pick<KafkaConnection, 'connectionTimeoutMs' | 'requestTimeoutMs'>;

export function readClustersFile(path: string, clientId: string, timeouts: Timeouts): MonitoredCluster[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('DOFLAMINGO_CLUSTERS_FILE', 'a readable JSON file', `${path} (${(error as Error).message})`);
  }
  const result = clusterFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw new ConfigError('DOFLAMINGO_CLUSTERS_FILE', `${where.replace(/^\./, '') || 'the file'}: ${issue.message}`, path);
  }
  return result.data.clusters.map((cluster) => ({
    name: cluster.name,
    kafka: { ...timeouts, brokers: cluster.kafka.brokers, ssl: cluster.kafka.ssl, sasl: cluster.kafka.sasl, clientId },
    zookeeper: cluster.zookeeper,
    jolokia: cluster.jolokia,
    prometheusUrls: cluster.prometheusUrls,
    logDirs: cluster.logDirs,
  }));
}

/** The single cluster described by MONITOR_* variables (the default when no file is given). */
export function readClusterFromEnv(env: Env, name: string, kafka: KafkaConnection): MonitoredCluster {
  const connectSet = Boolean(env.MONITOR_ZOOKEEPER_CONNECT?.trim());
  const zookeeperServers =
    env.MONITOR_ZOOKEEPER_CONNECT === 'none'
      ? []
      : readHostPortList(env, 'MONITOR_ZOOKEEPER_CONNECT', 'localhost:2181,localhost:2182,localhost:2183');
  // AdminServer listens on 8080 by default; the devstack moves it to 8181-8183.
  const adminFallback = connectSet
    ? zookeeperServers.map((server) => `http://${server.replace(/:\d+$/, '')}:8080`).join(',')
    : 'http://localhost:8181,http://localhost:8182,http://localhost:8183';
  const digestUser = env.MONITOR_ZOOKEEPER_DIGEST_USER?.trim();
  return {
    name,
    kafka,
    zookeeper:
      zookeeperServers.length === 0
        ? undefined
        : {
            servers: zookeeperServers,
            adminUrls: readUrlList(env, 'MONITOR_ZOOKEEPER_ADMIN_URLS', adminFallback),
            digest: digestUser ? { username: digestUser, password: readSecret(env, 'MONITOR_ZOOKEEPER_DIGEST_PASSWORD') ?? '' } : undefined,
          },
    jolokia: {
      urls:
        env.MONITOR_JOLOKIA_URLS === 'none'
          ? []
          : readUrlList(env, 'MONITOR_JOLOKIA_URLS', 'http://localhost:8778/jolokia,http://localhost:8779/jolokia,http://localhost:8780/jolokia'),
      username: env.MONITOR_JOLOKIA_USER?.trim() || undefined,
      password: readSecret(env, 'MONITOR_JOLOKIA_PASSWORD'),
    },
    prometheusUrls: env.MONITOR_PROMETHEUS_URLS?.trim() ? readUrlList(env, 'MONITOR_PROMETHEUS_URLS', '') : [],
    logDirs: readLogDirs(env, 'MONITOR_KAFKA_LOG_DIRS'),
  };
}
