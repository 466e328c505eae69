import { Admin } from 'kafkajs';
import { endpoints } from '../../devstack/topology';
import { fourLetterWord, parseMntr } from '../support/four-letter-word';
import { connectAdmin } from '../support/kafka-admin';

describe('devstack cluster (ZooKeeper mode)', () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = await connectAdmin(endpoints.kafkaBrokers);
  });
  afterAll(() => admin.disconnect());

  it('runs a ZooKeeper ensemble with exactly one leader and two followers (read through mntr)', async () => {
    const states = await Promise.all(
      endpoints.zookeeperServers.map(async (server) => parseMntr(await fourLetterWord(server.host, server.port, 'mntr'))),
    );
    const roles = states.map((mntr) => mntr.get('zk_server_state')).sort();
    expect(roles).toEqual(['follower', 'follower', 'leader']);
    const leader = states.find((mntr) => mntr.get('zk_server_state') === 'leader')!;
    expect(leader.get('zk_synced_followers')).toBe('2');
  });

  it('whitelists the four-letter words the agent uses', async () => {
    const { host, port } = endpoints.zookeeperServers[0];
    expect(await fourLetterWord(host, port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(host, port, 'srvr')).toMatch(/^Zookeeper version: /);
    expect(await fourLetterWord(host, port, 'isro')).toBe('rw');
  });

  it('serves the AdminServer /commands/monitor on each ZooKeeper server', async () => {
    for (const server of endpoints.zookeeperServers) {
      const response = await fetch(`http://${server.host}:${server.adminPort}/commands/monitor`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ command: 'monitor', error: null });
    }
  });

  it('has three Kafka brokers and a controller among them (kafkajs admin)', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect([1, 2, 3]).toContain(cluster.controller);
  });

  it('creates topics with replication factor 3 and min.insync.replicas 2 by default', async () => {
    const topic = `devstack-defaults-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions[0].replicas).toHaveLength(3);
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
    expect(configs.resources[0].configEntries[0].configValue).toBe('2');
    await admin.deleteTopics({ topics: [topic] });
  });

  it('answers a Jolokia MBean read on every broker', async () => {
    for (const url of endpoints.jolokiaUrls) {
      const response = await fetch(`${url}/read/kafka.server:type=KafkaServer,name=BrokerState/Value`);
      const body = (await response.json()) as { status: number; value: number };
      expect(body.status).toBe(200);
      expect(body.value).toBe(3); // RUNNING
    }
  });
});
