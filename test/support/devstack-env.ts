import { devstackKafkaLogDirs } from '../../devstack/paths';
import { endpoints } from '../../devstack/topology';

/** What an app needs to watch the devstack cluster, wherever DEVSTACK_PORT_OFFSET put it. */
export function devstackMonitorEnv(): Record<string, string> {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    MONITOR_ZOOKEEPER_CONNECT: endpoints.zookeeperConnect,
    MONITOR_ZOOKEEPER_ADMIN_URLS: endpoints.zookeeperServers.map((z) => `http://${z.host}:${z.adminPort}`).join(','),
    MONITOR_JOLOKIA_URLS: endpoints.jolokiaUrls.join(','),
    // The agent runs on the devstack's host, so it sees the brokers' log directories.
    MONITOR_KAFKA_LOG_DIRS: devstackKafkaLogDirs(),
  };
}
