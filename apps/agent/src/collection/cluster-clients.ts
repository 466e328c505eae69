import { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { MonitoredCluster } from '@doflamingo/config';
import { createKafka } from '@doflamingo/kafka';

/**
 * The kafkajs client and one shared admin connection for a monitored cluster. Several collectors
 * (cluster state, consumer groups, probe) use them; one connection per cluster is enough.
 */
export class ClusterClients {
  readonly kafka: Kafka;
  private admin?: Admin;
  private connecting?: Promise<Admin>;

  constructor(cluster: MonitoredCluster, logger: Logger) {
    this.kafka = createKafka({ ...cluster.kafka, clientId: `doflamingo-agent-${cluster.name}` }, logger.child({ cluster: cluster.name }));
  }

  /** A connected admin; reconnects after a failure. */
  async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connecting ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 1 } });
      try {
        await admin.connect();
        this.admin = admin;
        return admin;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}
